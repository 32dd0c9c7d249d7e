#!/usr/bin/env bash
# Runs kmap's benchmarks: bench/run.sh [sandbox]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/bench/Kmap.Bench/Kmap.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
exec dotnet "$root/bench/Kmap.Bench/bin/Release/net10.0/Kmap.Bench.dll" "$@"
