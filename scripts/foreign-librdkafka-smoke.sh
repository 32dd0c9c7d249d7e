#!/usr/bin/env bash
# kmap loads the librdkafka it ships, never another one on the machine (issue 16). With Debian's librdkafka 2.0.2
# (fetched by scripts/install-test-deps.sh into a cache folder) first on LD_LIBRARY_PATH as librdkafka.so and
# librdkafka.so.1, runs with the given kmap binary: the demo, a backup of one sandbox and a restore --execute into
# another. Before the fix the demo died with EntryPointNotFoundException and the backup with a segfault (exit 139).
#   scripts/foreign-librdkafka-smoke.sh PATH/TO/kmap
# Exit 0 passed, 1 failed, 77 skipped (Debian's librdkafka unavailable: the reason is printed loudly).
set -euo pipefail
kmap="${1:?usage: foreign-librdkafka-smoke.sh PATH/TO/kmap}"
foreign="${KMAP_TEST_CACHE:-$HOME/.cache/kmap-test}/debian-librdkafka/lib"
if [ ! -e "$foreign/librdkafka.so" ] || [ ! -e "$foreign/librdkafka.so.1" ]; then
  echo "SKIPPED: NO FOREIGN-LIBRDKAFKA TEST: $foreign/librdkafka.so is missing (apt could not download Debian's librdkafka1; run scripts/install-test-deps.sh)"
  exit 77
fi
if ldd "$foreign/librdkafka.so.1" | grep -q 'not found'; then
  echo "SKIPPED: NO FOREIGN-LIBRDKAFKA TEST: Debian's librdkafka lacks libraries on this machine: $(ldd "$foreign/librdkafka.so.1" | grep 'not found' | tr -s ' \n' ' ')"
  exit 77
fi
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# Debian's library comes first for every kmap run; kcat (Debian's own client) runs without it.
with_foreign=(env LD_LIBRARY_PATH="$foreign${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" KMAP_CONFIG="$work/none.yaml")

start_sandbox() { # name -> prints the bootstrap list
  "${with_foreign[@]}" "$kmap" sandbox --brokers 1 > "$work/$1.out" 2> "$work/$1.err" &
  pids+=($!)
  for _ in $(seq 1 300); do
    [ -s "$work/$1.out" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$1.err" >&2; return 1; }
    sleep 0.1
  done
  head -n 1 "$work/$1.out"
}

run() { # label, command... : fails with the label, the exit code and stderr
  local label="$1"; shift
  local rc=0
  "${with_foreign[@]}" "$@" > "$work/$label.stdout" 2> "$work/$label.stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAILED: $label exited $rc with Debian's librdkafka first on LD_LIBRARY_PATH:"
    tail -n 5 "$work/$label.stderr"
    exit 1
  fi
}

run demo "$kmap" demo
grep -q . "$work/demo.stdout" || { echo "FAILED: the demo printed nothing"; exit 1; }

source_brokers="$(start_sandbox source)"
target_brokers="$(start_sandbox target)"
if [ -z "$source_brokers" ] || [ -z "$target_brokers" ]; then echo "FAILED: a sandbox printed no bootstrap address"; exit 1; fi
printf 'a\nb\nc\n' | kcat -b "$source_brokers" -t orders -P
printf 'a\nb\nc\n' | kcat -b "$target_brokers" -t orders -P
run commit "$kmap" consumer-groups --brokers "$source_brokers" --group billing --topic orders --reset-offsets --to-latest --execute
run backup "$kmap" backup --brokers "$source_brokers" -o "$work/offsets.json"
groups="$(jq -c '[.consumer_groups[].group]' "$work/offsets.json")"
[ "$groups" = '["billing"]' ] || { echo "FAILED: the backup holds $groups, not [\"billing\"]"; exit 1; }
run restore "$kmap" restore --brokers "$target_brokers" --from "$work/offsets.json" --translate offset --execute
run describe "$kmap" consumer-groups --brokers "$target_brokers" --describe --group billing
grep -Eq 'orders +0 +3' "$work/describe.stdout" || { echo "FAILED: the restored group does not sit at offset 3:"; cat "$work/describe.stdout"; exit 1; }

# Without its own library (a framework-dependent build missing runtimes/), kmap says so in one line and exits 1:
# it never falls back to the machine's librdkafka.
dir="$(dirname "$kmap")"
if [ -d "$dir/runtimes" ]; then
  cp -a "$dir" "$work/stripped"
  rm -rf "$work/stripped/runtimes"
  rc=0
  "${with_foreign[@]}" "$work/stripped/$(basename "$kmap")" backup --brokers "$source_brokers" -o "$work/none.json" 2> "$work/stripped.err" || rc=$?
  if [ "$rc" -ne 1 ] || [ "$(wc -l < "$work/stripped.err")" -ne 1 ] || ! grep -q "cannot find kmap's bundled librdkafka" "$work/stripped.err"; then
    echo "FAILED: without its bundled librdkafka kmap exited $rc, not 1 with one line:"
    cat "$work/stripped.err"
    exit 1
  fi
fi
echo "demo, backup and restore with Debian's librdkafka first on LD_LIBRARY_PATH ok ($kmap)"
