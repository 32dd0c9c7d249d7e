#!/usr/bin/env bash
# CI check of the shipped binary: builds dist/linux-x64/kmap (self-contained, single file), then with it alone
# runs -version, starts its own sandbox, commits a group's offsets and backs them up.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kmap="$root/dist/linux-x64/kmap"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$root/build.sh" release linux-x64 > "$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
# No dotnet on PATH: the binary must carry its runtime.
clean_env=(env -i HOME="$work" PATH=/usr/bin:/bin DOTNET_ROOT=/nonexistent KMAP_CONFIG="$work/none.yaml")

version="$("${clean_env[@]}" "$kmap" -version)"
[[ "$version" =~ ^kmap\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "unexpected -version output: $version"; exit 1; }
echo "$version ($(du -h "$kmap" | cut -f1), $(file -b "$kmap" | cut -d, -f1))"

"${clean_env[@]}" "$kmap" sandbox --brokers 1 > "$work/sandbox.out" 2> "$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/sandbox.out" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.err"; exit 1; }
  sleep 0.1
done
bootstrap="$(head -n 1 "$work/sandbox.out")"
[ -n "$bootstrap" ] || { echo "the sandbox printed no bootstrap address"; cat "$work/sandbox.err"; exit 1; }

"${clean_env[@]}" "$kmap" config add ci --brokers "$bootstrap" > /dev/null
printf 'a\nb\nc\n' | kcat -b "$bootstrap" -t orders -P
"${clean_env[@]}" "$kmap" consumer-groups --group ci-group --topic orders --reset-offsets --to-latest --execute > /dev/null
(cd "$work" && "${clean_env[@]}" "$kmap" --context ci -save-offsets offsets.json -restore-offsets-script restore.sh 2> backup.err) \
  || { cat "$work/backup.err"; exit 1; }
groups="$(jq -c '[.consumer_groups[].group]' "$work/offsets.json")"
[ "$groups" = '["ci-group"]' ] || { echo "the backup holds $groups, not [\"ci-group\"]"; exit 1; }
bash -n "$work/restore.sh"
echo "backup with the single-file binary ok: $groups"
