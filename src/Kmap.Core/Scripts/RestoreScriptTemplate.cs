namespace Kmap.Core.Scripts;

/// <summary>
/// The fixed text of the restore script. @@TOKENS@@ are replaced by RestoreScriptWriter with data only.
/// Keep `--execute` on exactly one line: the guide tells users to edit that line for a dry run.
/// The functions both generated scripts share come from <see cref="ScriptPrelude"/>.
/// </summary>
internal static class RestoreScriptTemplate
{
    public static readonly string Text = ScriptPrelude.Script(HeadComment, TargetSetting, ToolSettings, Usage, Tail);

    private const string HeadComment = """
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
""";

    private const string TargetSetting = """
# Target cluster. Default: the cluster the backup was taken from.
@@BOOTSTRAP_LINES@@

""";

    private const string ToolSettings = """

# The reset tool. Empty: kafka-consumer-groups.sh on PATH, else the kmap that wrote this script,
# else kmap on PATH (kmap's `consumer-groups` command accepts the same options), e.g.:
# KAFKA_CONSUMER_GROUPS="/opt/kafka/bin/kafka-consumer-groups.sh"
KAFKA_CONSUMER_GROUPS="${KAFKA_CONSUMER_GROUPS:-}"

# DRY_RUN=1 previews every reset and changes nothing.
DRY_RUN="${DRY_RUN:-0}"

# Groups per tool call. 1: one call per group. More (or --batch): one call restores up to this many
# groups with Kafka's multi-group CSV (group,topic,partition,offset) and repeated --group, so the
# JVM starts once per batch; a batch that fails is redone one group at a time to name the failures.
BATCH_SIZE="${BATCH_SIZE:-1}"

""";

    private const string Usage = """

usage() {
  cat <<'USAGE'
Usage: restore-offsets.sh [--dry-run] [--batch[=N]] [--group NAME]... [--list] [--help]

Restores the committed offsets stored in this script, one consumer group at a time, with
kafka-consumer-groups.sh --reset-offsets --from-file (or kmap's compatible command).

Options:
  --dry-run      preview: show the offsets each group would get, change nothing (same as DRY_RUN=1)
  --group NAME   restore only this group; repeat for several (default: every group)
  --batch[=N]    restore up to N groups (default 500) per tool call (same as BATCH_SIZE=N)
  --list         print the group names stored in this script, one per line, and exit
  -h, --help     show this text

Settings (edit them at the top of the script, or set them in the environment):
  BOOTSTRAP_SERVERS      target cluster, host:port[,host:port] (default: the backed-up cluster)
  COMMAND_CONFIG         authentication, e.g. "--command-config /path/to/client.properties"
  KAFKA_CONSUMER_GROUPS  path of kafka-consumer-groups.sh (default: found on PATH, else kmap)
  DRY_RUN=1              same as --dry-run
  BATCH_SIZE=N           groups per tool call (default 1: one call per group)

Stop the consumers first: Kafka refuses to reset a group that has active members, and this
script counts that as a failure. The topics must exist on the target cluster.

A group fails when the tool exits non-zero or prints a line starting with "Error:" (Kafka's
tool exits 0 when it refuses an active group). Failed groups are counted, the script goes on,
and the summary names them.

Exit status: 0 every group restored; 1 every group failed or nothing could run; 2 usage error;
3 some groups failed.
USAGE
}


""";

    private const string Tail = """
# Reads the data block into `groups` (names) and one Kafka CSV per group, "$work_dir/<index>.csv",
# with no header and lines topic,partition,offset (Kafka's --from-file format for one --group).
# Groups whose name is plain CSV (no comma, quote or line break) also get "$work_dir/<index>.gcsv"
# with group,topic,partition,offset lines for batches; the others are always restored alone.
load_offsets() {
  groups=()
  batchable=()
  local kind field1 field2 field3 name plain=0
  while IFS=$'\t' read -r kind field1 field2 field3; do
    case "$kind" in
      group)
        printf -v name '%b' "$field1"
        groups+=("$name")
        exec 3>"$work_dir/${#groups[@]}.csv"
        plain=0
        case "$name" in
          *,* | *'"'* | *$'\n'* | *$'\r'*) exec 4>/dev/null ;;
          *) plain=1; exec 4>"$work_dir/${#groups[@]}.gcsv" ;;
        esac
        batchable+=("$plain")
        ;;
      offset)
        printf '%s,%s,%s\n' "$field1" "$field2" "$field3" >&3
        [ "$plain" -eq 1 ] && printf '%s,%s,%s,%s\n' "$name" "$field1" "$field2" "$field3" >&4
        ;;
    esac
  done < <(offset_data)
  exec 3>&- 4>&-
}

# Runs the reset tool once; sets `output` and returns its exit status. Arguments: group options, CSV file.
run_tool() {
  local csv="${*: -1}"
  local group_args=("${@:1:$#-1}")
  output="$("${tool[@]}" --bootstrap-server "$BOOTSTRAP_SERVERS" ${config_args[@]+"${config_args[@]}"} \
    "${group_args[@]}" --reset-offsets --from-file "$csv" "$reset_mode" 2>&1)"
}

# Restores one group (by index); counts it in `restored` or `failed`.
restore_one() {
  local index="$1" group="${groups[$1]}" rc
  run_tool --group="$group" "$work_dir/$((index + 1)).csv"
  rc=$?
  if tool_succeeded "$rc" Error:; then
    restored=$((restored + 1))
  else
    failed+=("$group")
  fi
}

# Restores several groups (by index) with one call; when that call fails, each group again alone.
restore_batch() {
  local index rc csv="$work_dir/batch.csv"
  local group_args=() files=()
  for index in "$@"; do
    group_args+=(--group "${groups[$index]}")
    files+=("$work_dir/$((index + 1)).gcsv")
  done
  cat "${files[@]}" >"$csv"
  run_tool "${group_args[@]}" "$csv"
  rc=$?
  [ -n "$output" ] && printf '%s\n' "$output" | sed 's/^/    /'
  if [ "$rc" -eq 0 ] && ! printf '%s\n' "$output" | grep -q '^Error:'; then
    restored=$((restored + $#))
    return
  fi
  printf '    batch failed (exit status %d): restoring its %d group(s) one at a time\n' "$rc" "$#"
  for index in "$@"; do
    printf '  %s\n' "${groups[$index]}"
    restore_one "$index"
  done
}

main() {
  local list_only=0 taken
  selected=()
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --batch) BATCH_SIZE=500; taken=1 ;;
      --batch=*) BATCH_SIZE="${1#--batch=}"; taken=1 ;;
      *) take_option --group "$@" ;;
    esac
    shift "$taken"
  done

  make_work_dir restore-offsets
  load_offsets

  local index
  list_or_check "no group named" "this backup" ${groups[@]+"${groups[@]}"}

  case "$BATCH_SIZE" in
    '' | *[!0-9]* | 0) fail_usage "BATCH_SIZE/--batch needs a whole number of groups, not '$BATCH_SIZE'" ;;
  esac

  # The one line that writes offsets; make it --dry-run to turn every run into a preview.
  local reset_mode=--execute
  case "$DRY_RUN" in
    1 | true | yes) reset_mode=--dry-run ;;
  esac
  # What kmap's consumer-groups advises at the end of a dry run, instead of its own flag (Kafka's tool ignores it).
  export KMAP_APPLY_HINT="run $program without DRY_RUN=1 or --dry-run"

  find_tool "$KAFKA_CONSUMER_GROUPS" kafka-consumer-groups consumer-groups KAFKA_CONSUMER_GROUPS
  read_command_config

  report_share_groups
  if [ "${#share_groups[@]}" -gt 0 ] && [ "${#groups[@]}" -eq 0 ]; then
    exit 1
  fi

  local to_run=() total=0
  select_to_run "Nothing to restore: the backup holds no consumer group." ${groups[@]+"${groups[@]}"}
  printf 'Restoring %d consumer group(s) on %s with %s (%s)\n' "$total" "$BOOTSTRAP_SERVERS" "${tool[*]}" "$reset_mode"

  # One call per group (or per batch, falling back to one per group), so one refusal does not stop the others.
  local i=0 batch=()
  restored=0
  failed=()
  for index in "${to_run[@]}"; do
    i=$((i + 1))
    if [ "$BATCH_SIZE" -gt 1 ] && [ "${batchable[$index]}" -eq 1 ]; then
      batch+=("$index")
      if [ "${#batch[@]}" -ge "$BATCH_SIZE" ] || [ "$i" -eq "$total" ]; then
        printf '[%d/%d] %d group(s) in one call\n' "$i" "$total" "${#batch[@]}"
        restore_batch "${batch[@]}"
        batch=()
      fi
      continue
    fi
    printf '[%d/%d] %s\n' "$i" "$total" "${groups[$index]}"
    restore_one "$index"
  done
  if [ "${#batch[@]}" -gt 0 ]; then
    printf '[%d/%d] %d group(s) in one call\n' "$i" "$total" "${#batch[@]}"
    restore_batch "${batch[@]}"
  fi

  local dry_run=0
  [ "$reset_mode" = --dry-run ] && dry_run=1
  print_summary "$dry_run" "$restored" "$total" "group(s)" "would be restored" "restored"
  if [ "${#share_groups[@]}" -gt 0 ]; then
    printf 'Not restored by this script: %d share group(s) (see above: restore them with kmap restore).\n' "${#share_groups[@]}"
    local name
    for name in "${share_groups[@]}"; do
      failed+=("$name (share group: not restored by this script)")
    done
  fi
  finish groups "$restored"
}

# Share groups (KIP-932) keep a start offset per partition, which only AlterShareGroupOffsets sets.
# Kafka's kafka-share-groups.sh --reset-offsets can only move a whole share group to the earliest or
# latest offset or to a time (--to-earliest, --to-latest, --to-datetime), not to the backed-up offset of
# each partition, so this script does not restore them: `kmap restore` does (it prints the command).
# (The words below avoid the literal execute flag: the guide's one-line edit to a dry run stays one line.)
@@SHARE_GROUPS@@
report_share_groups() {
  [ "${#share_groups[@]}" -gt 0 ] || return 0
  printf 'This script does not restore the %d share group(s) of the backup:\n' "${#share_groups[@]}"
  printf '  %s\n' "${share_groups[@]}"
  echo "Kafka's kafka-share-groups.sh --reset-offsets cannot set one offset per partition (only --to-earliest,"
  echo "--to-latest or --to-datetime for a whole group). Restore them with kmap, which writes each partition's"
  echo "start offset with AlterShareGroupOffsets (stop their consumers first: Kafka refuses a share group with members):"
  local from="$share_backup_file"
  if [ -z "$from" ]; then
    echo "  kmap backup --brokers SOURCE --output offsets.json   # no JSON backup was written with this script: take one"
    from=offsets.json
  fi
  local name
  for name in "${share_groups[@]}"; do
    printf '  kmap restore --brokers %q --from %q --include-groups %q --%s\n' "$BOOTSTRAP_SERVERS" "$from" "$name" execute
  done
  echo
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
