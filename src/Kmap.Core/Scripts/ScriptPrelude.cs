namespace Kmap.Core.Scripts;

/// <summary>
/// The bash functions every generated script shares (the restore script and the topic recreation script):
/// usage errors, finding Apache Kafka's tool or kmap's compatible command, the command-config file, and
/// the --group/--topic selection. Templates include it as a compile-time constant, so each script stays
/// one self-contained file; like the templates, it holds no data from a cluster.
/// </summary>
internal static class ScriptPrelude
{
    /// <summary>
    /// A whole script from its own parts around the shared ones: its opening comment, <see cref="Start"/>, its target
    /// setting, <see cref="CommandConfigSetting"/>, its tool settings, <see cref="SettingsEnd"/>, its usage,
    /// <see cref="Functions"/>, then its own functions, main and data block.
    /// </summary>
    public static string Script(string comment, string targetSetting, string toolSettings, string usage, string tail) =>
        comment + "\n" + Start + "\n" + targetSetting + "\n" + CommandConfigSetting + "\n" + toolSettings + "\n" + SettingsEnd + "\n"
        + usage + Functions + "\n\n" + tail;

    /// <summary>After a script's opening comment: bash (a script started by sh starts again with bash), strict mode, the settings' heading.</summary>
    public const string Start = """
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

# ---- Settings -------------------------------------------------------------------------------
""";

    /// <summary>The setting both scripts take for the target's authentication.</summary>
    public const string CommandConfigSetting = """
# Authentication for the target, the same file Kafka's tools take, e.g.:
# COMMAND_CONFIG="--command-config /path/to/client.properties"
COMMAND_CONFIG="${COMMAND_CONFIG:-}"
""";

    /// <summary>The end of the settings: the kmap binary that wrote the script (@@KMAP_BINARY@@, filled in as data), and the script's name.</summary>
    public const string SettingsEnd = """
# The kmap that wrote this script.
KMAP_BINARY=@@KMAP_BINARY@@
# ---------------------------------------------------------------------------------------------

program="${0##*/}"
""";

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

# Takes one of the options both scripts share from the script's arguments (given after $1): -h/--help,
# --dry-run, --list (sets `list_only`), and the selection option named by $1 (--group or --topic, added to
# `selected`). Sets `taken` to how many arguments it used; any other argument is a usage error.
take_option() {
  local option="$1"
  shift
  taken=1
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    --list) list_only=1 ;;
    "$option")
      [ "$#" -ge 2 ] || fail_usage "$option needs a ${option#--} name"
      selected+=("$2")
      taken=2
      ;;
    "$option"=*) selected+=("${1#"$option"=}") ;;
    *) fail_usage "unknown argument '$1'" ;;
  esac
}

# With --list (`list_only` is 1): prints the names given after $1 and $2, one per line, and ends the script.
# Otherwise checks the selection against them (check_selected, with $1 and $2 as its message).
list_or_check() {
  if [ "$list_only" -eq 1 ]; then
    [ "$#" -eq 2 ] || printf '%s\n' "${@:3}"
    exit 0
  fi
  check_selected "$@"
}

# Shows the tool's `output` indented and judges the call: true when its exit status $1 is 0 and no line of the
# output starts with $2 (Kafka's tools can exit 0 after printing an error); else says FAILED and is false.
tool_succeeded() {
  [ -n "$output" ] && printf '%s\n' "$output" | sed 's/^/    /'
  if [ "$1" -ne 0 ] || printf '%s\n' "$output" | grep -q "^$2"; then
    printf '    FAILED (exit status %d)\n' "$1"
    return 1
  fi
}

# Sets the array `to_run` to the indexes of the names after $1 that are selected (all when none was) and
# `total` to their count; when there is none, prints $1 and ends the script with status 0.
select_to_run() {
  local nothing="$1" index=0 name
  shift
  to_run=()
  for name in "$@"; do
    is_selected "$name" && to_run+=("$index")
    index=$((index + 1))
  done
  total="${#to_run[@]}"
  if [ "$total" -eq 0 ]; then
    echo "$nothing"
    exit 0
  fi
}

# Prints the closing summary. $1: 1 for a dry run; $2 of $3 $4 (e.g. "group(s)") succeeded; $5: what a dry
# run would do to them (e.g. "would be restored"); $6: what was done (e.g. "restored"). Failures: `failed`.
print_summary() {
  echo
  if [ "$1" -eq 1 ]; then
    printf 'Summary (dry run, nothing changed): %d of %d %s %s' "$2" "$3" "$4" "$5"
    [ "${#failed[@]}" -eq 0 ] || printf ', %d failed' "${#failed[@]}"
    printf '.\n'
  else
    printf 'Summary: %d of %d %s %s, %d failed.\n' "$2" "$3" "$4" "$6" "${#failed[@]}"
  fi
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
