namespace Kmap.Core.Scripts;

/// <summary>
/// The bash functions every generated script shares (the restore script and the topic recreation script):
/// usage errors, finding Apache Kafka's tool or kmap's compatible command, the command-config file, and
/// the --group/--topic selection. Templates include it as a compile-time constant, so each script stays
/// one self-contained file; like the templates, it holds no data from a cluster.
/// </summary>
internal static class ScriptPrelude
{
    /// <summary>Uses the script's `program`, `KMAP_BINARY`, `COMMAND_CONFIG` and `selected` variables.</summary>
    public const string Functions = """
fail_usage() {
  printf '%s: %s (see --help)\n' "$program" "$1" >&2
  exit 2
}

# Sets the array `tool` to the command to run. Arguments: the setting's value (a path, or empty), the
# Kafka tool's name without .sh, kmap's sub-command that takes the same options, the setting's name.
# Order: the setting; NAME.sh or NAME (Confluent's packaging) on PATH; the kmap that wrote this script;
# kmap on PATH. A setting that points at a kmap binary gets the sub-command added.
find_tool() {
  local given="$1" kafka="$2" subcommand="$3" setting="$4"
  if [ -n "$given" ]; then
    case "${given##*/}" in
      kmap) tool=("$given" "$subcommand") ;;
      *) tool=("$given") ;;
    esac
  elif command -v "$kafka.sh" >/dev/null 2>&1; then
    tool=("$kafka.sh")
  elif command -v "$kafka" >/dev/null 2>&1; then
    tool=("$kafka")
  elif [ -n "$KMAP_BINARY" ] && [ -x "$KMAP_BINARY" ]; then
    tool=("$KMAP_BINARY" "$subcommand")
  elif command -v kmap >/dev/null 2>&1; then
    tool=(kmap "$subcommand")
  else
    printf '%s: neither %s.sh nor kmap was found; set %s=/path/to/%s.sh\n' "$program" "$kafka" "$setting" "$kafka" >&2
    exit 1
  fi
}

# Sets the array `config_args` from COMMAND_CONFIG ("--command-config FILE", "--command-config=FILE" or just FILE).
read_command_config() {
  config_args=()
  local file="$COMMAND_CONFIG"
  [ -n "$file" ] || return 0
  case "$file" in
    --command-config=*) file="${file#--command-config=}" ;;
    --command-config*) file="${file#--command-config}" ;;
  esac
  file="${file#"${file%%[! ]*}"}"
  if [ ! -r "$file" ]; then
    printf '%s: cannot read the command config file %s\n' "$program" "$file" >&2
    exit 2
  fi
  config_args=(--command-config "$file")
}

# A usage error for the first selected name (--group/--topic) that is not among the arguments.
# $1: the message's start, e.g. "no group named"; $2: where, e.g. "this backup"; then the known names.
check_selected() {
  local what="$1" where="$2" name known found
  shift 2
  for name in ${selected[@]+"${selected[@]}"}; do
    found=0
    for known in "$@"; do
      [ "$known" = "$name" ] && found=1
    done
    [ "$found" -eq 1 ] || fail_usage "$what '$name' in $where (see --list)"
  done
}

# Sets `work_dir` to a private temporary directory ($1 names it), removed when the script ends.
make_work_dir() {
  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")" || exit 1
  trap 'rm -rf "$work_dir"' EXIT
}

# Ends the script: 0 when the array `failed` is empty; else lists it under "Failed $1:" and exits 1 when
# nothing succeeded ($2 is 0), 3 when some did.
finish() {
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "Failed $1:"
    printf '  %s\n' "${failed[@]}"
    [ "$2" -eq 0 ] && exit 1
    exit 3
  fi
  exit 0
}

# True when no name was selected (--group/--topic) or when $1 is one of them.
is_selected() {
  local wanted
  [ "${#selected[@]}" -eq 0 ] && return 0
  for wanted in "${selected[@]}"; do
    [ "$wanted" = "$1" ] && return 0
  done
  return 1
}
""";
}
