#!/usr/bin/env bash
# Runs every test suite of kmap and ends with one line: "N passed, N failed, N skipped".
# Installs what it needs first (Debian packages, kafkajs, NuGet restore), idempotently.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root" || exit 1

passed=0
failed=0
skipped=0
log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "installing test dependencies"
if ! scripts/install-test-deps.sh; then
  echo "dependency installation failed"
  failed=$((failed + 1))
fi

step "building (Release, warnings as errors)"
if ! dotnet build kmap.slnx -c Release -nologo -v q -clp:ErrorsOnly > "$log_dir/build.log" 2>&1; then
  cat "$log_dir/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$((passed + 1))
echo "build ok"

step "format check (dotnet format --verify-no-changes)"
if dotnet format kmap.slnx --verify-no-changes --no-restore > "$log_dir/format.log" 2>&1; then
  passed=$((passed + 1))
  echo "format ok"
else
  tail -n 30 "$log_dir/format.log"
  failed=$((failed + 1))
fi

step "shellcheck of the project's own scripts"
mapfile -t own_scripts < <(git ls-files '*.sh' kmap .ci/run 2>/dev/null)
if shellcheck "${own_scripts[@]}"; then
  passed=$((passed + 1))
  echo "shellcheck ok (${#own_scripts[@]} scripts)"
else
  failed=$((failed + 1))
fi

step "launcher: ./kmap builds once, then runs without building"
./kmap -version > "$log_dir/launcher1.log" 2>&1
if ./kmap -version > "$log_dir/launcher2.log" 2>&1 && grep -q '^kmap [0-9]' "$log_dir/launcher2.log" && ! grep -q 'building' "$log_dir/launcher2.log"; then
  passed=$((passed + 1))
  echo "launcher ok: $(cat "$log_dir/launcher2.log")"
else
  cat "$log_dir/launcher1.log" "$log_dir/launcher2.log"
  failed=$((failed + 1))
fi

step "release binary (linux-x64 single file): -version and a backup against its own sandbox"
if scripts/release-smoke.sh > "$log_dir/release.log" 2>&1; then
  passed=$((passed + 1))
  tail -n 2 "$log_dir/release.log"
else
  tail -n 30 "$log_dir/release.log"
  failed=$((failed + 1))
fi

step "another librdkafka first on LD_LIBRARY_PATH (Debian's 2.0.2): demo, backup, restore load kmap's own"
for binary in "$root/.build/kmap/kmap" "$root/dist/linux-x64/kmap"; do
  rc=0
  scripts/foreign-librdkafka-smoke.sh "$binary" > "$log_dir/foreign.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    tail -n 1 "$log_dir/foreign.log"
  elif [ "$rc" -eq 77 ]; then
    skipped=$((skipped + 1))
    # Loud: a skipped check of a crash users met must not go unnoticed.
    echo "!!!!! $(tail -n 1 "$log_dir/foreign.log")"
  else
    tail -n 30 "$log_dir/foreign.log"
    failed=$((failed + 1))
  fi
done

export KMAP_CONFORMANCE_RESULTS="$log_dir/conformance.tsv"
: > "$KMAP_CONFORMANCE_RESULTS"

for project in Kmap.Sandbox.Tests Kmap.Core.Tests Kmap.Kafka.Tests Kmap.Cli.Tests Conformance; do
  dir="tests/$project"
  exe="$(find "$dir/bin/Release" -maxdepth 2 -type f -name 'Kmap.*Tests' -perm -u+x | head -n 1)"
  step "tests: $project"
  if [ -z "$exe" ]; then
    echo "no test executable under $dir/bin/Release"
    failed=$((failed + 1))
    continue
  fi
  "$exe" -noColor -parallel collections > "$log_dir/$project.log" 2>&1
  rc=$?
  # Each failure with the lines after it (its message up to the stack trace), then the totals.
  grep -a -A 12 -E '\[FAIL\]' "$log_dir/$project.log" | head -n 300
  grep -a -E 'Total:' "$log_dir/$project.log" | tail -n 1
  summary="$(grep -a -E 'Total: [0-9]+' "$log_dir/$project.log" | tail -n 1)"
  total=$(sed -nE 's/.*Total: ([0-9]+).*/\1/p' <<<"$summary")
  errors=$(sed -nE 's/.*Errors: ([0-9]+).*/\1/p' <<<"$summary")
  fails=$(sed -nE 's/.*Failed: ([0-9]+).*/\1/p' <<<"$summary")
  skips=$(sed -nE 's/.*Skipped: ([0-9]+).*/\1/p' <<<"$summary")
  total=${total:-0}; errors=${errors:-0}; fails=${fails:-0}; skips=${skips:-0}
  if [ -z "$summary" ] || { [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ] && [ "$errors" -eq 0 ]; }; then
    tail -n 40 "$log_dir/$project.log"
    failed=$((failed + 1))
    continue
  fi
  passed=$((passed + total - fails - skips))
  failed=$((failed + fails + errors))
  skipped=$((skipped + skips))
done

step "conformance matrix (client x scenario)"
scripts/print-conformance-matrix.sh "$KMAP_CONFORMANCE_RESULTS"

echo
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
