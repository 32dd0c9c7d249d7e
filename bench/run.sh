#!/usr/bin/env bash
# Runs kmap's benchmarks against sandboxes with injected latency: bench/run.sh [all|backup|sandbox] [--quick]
# Builds kmap (the ./kmap launcher's build) and the bench, installs the baseline clients if missing.
#   bench/run.sh startup: start-up of the single-file binary (./build.sh release linux-x64) against the framework-dependent build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-test-deps.sh" >&2
"$root/kmap" -version >/dev/null
dotnet build "$root/bench/Kmap.Bench/Kmap.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
if [ "${1:-}" = "startup" ]; then
  "$root/build.sh" release linux-x64 >&2
  dotnet build "$root/src/Kmap.Cli/Kmap.Cli.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
  exec dotnet "$root/bench/Kmap.Bench/bin/Release/net10.0/Kmap.Bench.dll" startup "$root"
fi
exec dotnet "$root/bench/Kmap.Bench/bin/Release/net10.0/Kmap.Bench.dll" "$@"
