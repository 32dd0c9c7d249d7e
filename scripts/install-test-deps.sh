#!/usr/bin/env bash
# Installs what the test suites need, only when it is missing: Debian packages for the external
# Kafka clients, script checkers and the shells completion is tested in, kafkajs from npm (pinned by tests/Conformance/node/package-lock.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# `kmap completion zsh|fish` is loaded in its own shell by the completion tests.
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
# The HTML report's browser test drives Debian's Chromium through Playwright (never `playwright install`).
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || missing+=(python3-kafka)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_dir="$root/tests/Conformance/node"
if [ -f "$node_dir/package-lock.json" ]; then
  # npm ci only when the lock file changed since the last install.
  if [ ! -f "$node_dir/node_modules/.kmap-lock" ] || ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.kmap-lock"; then
    (cd "$node_dir" && npm ci --silent --no-audit --no-fund >/dev/null)
    cp "$node_dir/package-lock.json" "$node_dir/node_modules/.kmap-lock"
  fi
fi

# Debian's librdkafka (2.0.2, older than the one kmap ships), never installed system-wide: unpacked into a cache
# folder that scripts/foreign-librdkafka-smoke.sh puts first on LD_LIBRARY_PATH. Best effort: without apt the
# smoke test says loudly why it skips.
rdkafka_dir="${KMAP_TEST_CACHE:-$HOME/.cache/kmap-test}/debian-librdkafka"
if [ ! -e "$rdkafka_dir/lib/librdkafka.so.1" ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
  download="$(mktemp -d)"
  # apt's sandbox user must be able to write there.
  chmod 0777 "$download"
  if (cd "$download" && apt-get download -qq librdkafka1 >/dev/null 2>&1) \
     && dpkg -x "$download"/librdkafka1_*.deb "$download/x"; then
    so="$(find "$download/x" -name 'librdkafka.so.1' | head -n 1)"
    if [ -n "$so" ]; then
      mkdir -p "$rdkafka_dir/lib.tmp"
      cp -L "$so" "$rdkafka_dir/lib.tmp/librdkafka.so.1"
      ln -sf librdkafka.so.1 "$rdkafka_dir/lib.tmp/librdkafka.so"
      rm -rf "${rdkafka_dir:?}/lib"
      mv "$rdkafka_dir/lib.tmp" "$rdkafka_dir/lib"
    fi
  else
    echo "note: apt could not download Debian's librdkafka1; the foreign-librdkafka smoke test will skip" >&2
  fi
  rm -rf "$download"
fi
