namespace Kmap.Core.Scripts;

/// <summary>
/// The fixed text of the restore script. @@TOKENS@@ are replaced by RestoreScriptWriter with data only.
/// Keep `--execute` on exactly one line: the guide tells users to edit that line for a dry run.
/// </summary>
internal static class RestoreScriptTemplate
{
    public const string Text = """
#!/usr/bin/env bash
# Restores consumer-group offsets backed up by kmap.
#
@@HEADER@@
#
# Usage: run with --help. Settings below can be edited here or given in the environment, e.g.
#   BOOTSTRAP_SERVERS=target:9092 ./restore-offsets.sh
#   DRY_RUN=1 ./restore-offsets.sh
#
# Every group name, topic and offset is data in the block at the end of this file (a here-document
# with a quoted delimiter): nothing that came from the cluster is ever run as shell code.

# Run by `sh restore-offsets.sh`? This script needs bash (arrays): start it again with bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -uo pipefail

# ---- Settings -------------------------------------------------------------------------------
# Target cluster. Default: the cluster the backup was taken from.
@@BOOTSTRAP_LINES@@

# Authentication for the target, the same file Kafka's tools take, e.g.:
# COMMAND_CONFIG="--command-config /path/to/client.properties"
COMMAND_CONFIG="${COMMAND_CONFIG:-}"

# The reset tool. Empty: kafka-consumer-groups.sh on PATH, else the kmap that wrote this script,
# else kmap on PATH (kmap's `consumer-groups` command accepts the same options), e.g.:
# KAFKA_CONSUMER_GROUPS="/opt/kafka/bin/kafka-consumer-groups.sh"
KAFKA_CONSUMER_GROUPS="${KAFKA_CONSUMER_GROUPS:-}"

# DRY_RUN=1 previews every reset and changes nothing.
DRY_RUN="${DRY_RUN:-0}"

# The kmap that wrote this script.
KMAP_BINARY=@@KMAP_BINARY@@
# ---------------------------------------------------------------------------------------------

program="${0##*/}"

usage() {
  cat <<'USAGE'
Usage: restore-offsets.sh [--dry-run] [--group NAME]... [--list] [--help]

Restores the committed offsets stored in this script, one consumer group at a time, with
kafka-consumer-groups.sh --reset-offsets --from-file (or kmap's compatible command).

Options:
  --dry-run      preview: show the offsets each group would get, change nothing (same as DRY_RUN=1)
  --group NAME   restore only this group; repeat for several (default: every group)
  --list         print the group names stored in this script, one per line, and exit
  -h, --help     show this text

Settings (edit them at the top of the script, or set them in the environment):
  BOOTSTRAP_SERVERS      target cluster, host:port[,host:port] (default: the backed-up cluster)
  COMMAND_CONFIG         authentication, e.g. "--command-config /path/to/client.properties"
  KAFKA_CONSUMER_GROUPS  path of kafka-consumer-groups.sh (default: found on PATH, else kmap)
  DRY_RUN=1              same as --dry-run

Stop the consumers first: Kafka refuses to reset a group that has active members, and this
script counts that as a failure. The topics must exist on the target cluster.

A group fails when the tool exits non-zero or prints a line starting with "Error:" (Kafka's
tool exits 0 when it refuses an active group). Failed groups are counted, the script goes on,
and the summary names them.

Exit status: 0 every group restored; 1 every group failed or nothing could run; 2 usage error;
3 some groups failed.
USAGE
}

fail_usage() {
  printf '%s: %s (see --help)\n' "$program" "$1" >&2
  exit 2
}

# Sets the array `tool` to the command that resets offsets.
find_reset_tool() {
  if [ -n "$KAFKA_CONSUMER_GROUPS" ]; then
    case "${KAFKA_CONSUMER_GROUPS##*/}" in
      kmap) tool=("$KAFKA_CONSUMER_GROUPS" consumer-groups) ;;
      *) tool=("$KAFKA_CONSUMER_GROUPS") ;;
    esac
  elif command -v kafka-consumer-groups.sh >/dev/null 2>&1; then
    tool=(kafka-consumer-groups.sh)
  elif command -v kafka-consumer-groups >/dev/null 2>&1; then
    tool=(kafka-consumer-groups)
  elif [ -n "$KMAP_BINARY" ] && [ -x "$KMAP_BINARY" ]; then
    tool=("$KMAP_BINARY" consumer-groups)
  elif command -v kmap >/dev/null 2>&1; then
    tool=(kmap consumer-groups)
  else
    printf '%s: neither kafka-consumer-groups.sh nor kmap was found; set KAFKA_CONSUMER_GROUPS=/path/to/kafka-consumer-groups.sh\n' "$program" >&2
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

# Reads the data block into `groups` (names) and one Kafka CSV per group, "$work_dir/<index>.csv",
# with no header and lines topic,partition,offset (Kafka's --from-file format for one --group).
load_offsets() {
  groups=()
  local kind field1 field2 field3 name csv=""
  while IFS=$'\t' read -r kind field1 field2 field3; do
    case "$kind" in
      group)
        printf -v name '%b' "$field1"
        groups+=("$name")
        csv="$work_dir/${#groups[@]}.csv"
        : >"$csv"
        ;;
      offset)
        printf '%s,%s,%s\n' "$field1" "$field2" "$field3" >>"$csv"
        ;;
    esac
  done < <(offset_data)
}

is_selected() {
  local wanted
  [ "${#selected[@]}" -eq 0 ] && return 0
  for wanted in "${selected[@]}"; do
    [ "$wanted" = "$1" ] && return 0
  done
  return 1
}

main() {
  local list_only=0
  selected=()
  while [ "$#" -gt 0 ]; do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      --dry-run) DRY_RUN=1 ;;
      --list) list_only=1 ;;
      --group)
        [ "$#" -ge 2 ] || fail_usage "--group needs a group name"
        selected+=("$2")
        shift
        ;;
      --group=*) selected+=("${1#--group=}") ;;
      *) fail_usage "unknown argument '$1'" ;;
    esac
    shift
  done

  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/restore-offsets.XXXXXX")" || exit 1
  trap 'rm -rf "$work_dir"' EXIT
  load_offsets

  if [ "$list_only" -eq 1 ]; then
    printf '%s\n' "${groups[@]}"
    exit 0
  fi

  local name index found
  for name in ${selected[@]+"${selected[@]}"}; do
    found=0
    for index in "${!groups[@]}"; do
      [ "${groups[$index]}" = "$name" ] && found=1
    done
    [ "$found" -eq 1 ] || fail_usage "no group named '$name' in this backup (see --list)"
  done

  # The one line that writes offsets; make it --dry-run to turn every run into a preview.
  local reset_mode=--execute
  case "$DRY_RUN" in
    1 | true | yes) reset_mode=--dry-run ;;
  esac

  find_reset_tool
  read_command_config

  local to_run=()
  for index in "${!groups[@]}"; do
    is_selected "${groups[$index]}" && to_run+=("$index")
  done
  local total="${#to_run[@]}"
  if [ "$total" -eq 0 ]; then
    echo "Nothing to restore: the backup holds no consumer group."
    exit 0
  fi
  printf 'Restoring %d consumer group(s) on %s with %s (%s)\n' "$total" "$BOOTSTRAP_SERVERS" "${tool[*]}" "$reset_mode"

  # One call per group, so one refusal does not stop the others. (A batch mode would write one
  # group,topic,partition,offset CSV from the same data and make a single call with several --group.)
  local i=0 restored=0 group csv output rc
  local failed=()
  for index in "${to_run[@]}"; do
    i=$((i + 1))
    group="${groups[$index]}"
    csv="$work_dir/$((index + 1)).csv"
    printf '[%d/%d] %s\n' "$i" "$total" "$group"
    output="$("${tool[@]}" --bootstrap-server "$BOOTSTRAP_SERVERS" ${config_args[@]+"${config_args[@]}"} \
      --group="$group" --reset-offsets --from-file "$csv" "$reset_mode" 2>&1)"
    rc=$?
    [ -n "$output" ] && printf '%s\n' "$output" | sed 's/^/    /'
    if [ "$rc" -ne 0 ] || printf '%s\n' "$output" | grep -q '^Error:'; then
      failed+=("$group")
      printf '    FAILED (exit status %d)\n' "$rc"
    else
      restored=$((restored + 1))
    fi
  done

  echo
  if [ "$reset_mode" = --dry-run ]; then
    printf 'Summary (dry run, nothing changed): %d of %d group(s) would be restored, %d failed.\n' "$restored" "$total" "${#failed[@]}"
  else
    printf 'Summary: %d of %d group(s) restored, %d failed.\n' "$restored" "$total" "${#failed[@]}"
  fi
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "Failed groups:"
    printf '  %s\n' "${failed[@]}"
    [ "$restored" -eq 0 ] && exit 1
    exit 3
  fi
  exit 0
}

# ---- Data -----------------------------------------------------------------------------------
# One line per group ("group<TAB>name", the name escaped for printf %b) followed by its offsets
# ("offset<TAB>topic<TAB>partition<TAB>offset"). The delimiter is quoted, so bash expands nothing here.
offset_data() {
  cat <<'KMAP_OFFSET_DATA'
@@DATA@@
KMAP_OFFSET_DATA
}

main "$@"

""";
}
