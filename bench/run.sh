#!/usr/bin/env bash
# Runs kmap's benchmarks against sandboxes with injected latency: bench/run.sh [all|backup|restore|map|sweep|sync|sandbox|startup|probe] [--quick]
# Builds kmap (the ./kmap launcher's build) and the bench, installs the baseline clients if missing.
#   backup also runs the restore rows (--no-restore skips them); restore runs them alone: `kmap restore --execute`
#   and the restore script's one-call `kmap consumer-groups --reset-offsets --from-file` path, each as a process.
#   map: the cluster map (JSON + HTML) and -topic-sizes against `kmap backup` and the Go tool's sequential algorithm, 3,000 groups x 4 at 5 ms.
#   sync: `kmap sync` rounds between two clusters, 20,000 groups x 10 at 2 ms, 100 rounds: time per round and memory over the rounds.
#   startup builds dist/linux-x64/kmap (./build.sh release linux-x64) and the framework-dependent kmap first.
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
