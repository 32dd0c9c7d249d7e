#!/usr/bin/env bash
# Builds kmap.
#   ./build.sh                 framework-dependent build of the solution (Release), as CI does
#   ./build.sh release [RID…]  self-contained single-file binaries, one per runtime, in dist/RID/kmap(.exe)
#                              default RIDs: linux-x64 linux-arm64 osx-arm64 win-x64
# The binaries carry the .NET runtime and librdkafka's native library (from Confluent's
# librdkafka.redist package, extracted on first run): nothing else needs to be installed.
# They are ReadyToRun-compiled for start-up time and not trimmed (Confluent.Kafka is not trim-annotated).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

mode="${1:-build}"
case "$mode" in
  build)
    exec dotnet build kmap.slnx -c Release -nologo -v q -clp:ErrorsOnly
    ;;
  release)
    shift
    rids=("$@")
    [ "${#rids[@]}" -gt 0 ] || rids=(linux-x64 linux-arm64 osx-arm64 win-x64)
    for rid in "${rids[@]}"; do
      out="$root/dist/$rid"
      echo "kmap: publishing $rid -> $out" >&2
      rm -rf "$out"
      dotnet publish src/Kmap.Cli/Kmap.Cli.csproj -c Release -r "$rid" -o "$out" -nologo -v q -clp:ErrorsOnly \
        -p:SelfContained=true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
        -p:PublishReadyToRun=true -p:CopyOutputSymbolsToPublishDirectory=false
      # Symbols of the referenced projects are copied beside the binary whatever the flags say: users need one file.
      rm -f "$out"/*.pdb
      ls -l "$out" >&2
    done
    ;;
  *)
    echo "usage: ./build.sh [build | release [RID...]]" >&2
    exit 2
    ;;
esac
