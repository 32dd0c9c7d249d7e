using Kmap.Core.Scripts;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The fixed text of the topic recreation script; @@TOKENS@@ are replaced with data only. The functions
/// both generated scripts share come from <see cref="ScriptPrelude"/>.
/// </summary>
internal static class RecreateScriptTemplate
{
    public static readonly string Text = ScriptPrelude.Script(HeadComment, TargetSetting, ToolSettings, Usage, Tail);

    private const string HeadComment = """
#!/usr/bin/env bash
# Recreates the topics of a Kafka cluster mapped by kmap: same partitions, replication factor and
# topic-level configs (only the ones set on the topic; defaults are left to the target).
#
@@HEADER@@
#
# Usage: run with --help. Settings below can be edited here or given in the environment, e.g.
#   BOOTSTRAP_SERVERS=target:9092 ./recreate-topics.sh
#   DRY_RUN=1 ./recreate-topics.sh
#
# Every topic name and config value is data in the block at the end of this file (a here-document
# with a quoted delimiter): nothing that came from the cluster is ever run as shell code.

""";

    private const string TargetSetting = """
# Target cluster. Default: the mapped cluster itself (where every topic exists already).
@@BOOTSTRAP_LINES@@

""";

    private const string ToolSettings = """

# The topic tool. Empty: kafka-topics.sh on PATH, else the kmap that wrote this script, else kmap
# on PATH (kmap's `topics --create` accepts the same options), e.g.:
# KAFKA_TOPICS="/opt/kafka/bin/kafka-topics.sh"
KAFKA_TOPICS="${KAFKA_TOPICS:-}"

# Replication factor for every topic; empty keeps each topic's own (a smaller target needs this).
REPLICATION_FACTOR="${REPLICATION_FACTOR:-}"

# DRY_RUN=1 prints each command and changes nothing.
DRY_RUN="${DRY_RUN:-0}"

""";

    private const string Usage = """

usage() {
  cat <<'USAGE'
Usage: recreate-topics.sh [--dry-run] [--topic NAME]... [--list] [--help]

Creates the topics stored in this script on the target cluster with
kafka-topics.sh --create --if-not-exists (or kmap's compatible command). Topics that exist already
are left as they are.

Options:
  --dry-run      print the commands, change nothing (same as DRY_RUN=1)
  --topic NAME   create only this topic; repeat for several (default: every topic)
  --list         print the topic names stored in this script, one per line, and exit
  -h, --help     show this text

Settings (edit them at the top of the script, or set them in the environment):
  BOOTSTRAP_SERVERS   target cluster, host:port[,host:port] (default: the mapped cluster)
  COMMAND_CONFIG      authentication, e.g. "--command-config /path/to/client.properties"
  KAFKA_TOPICS        path of kafka-topics.sh (default: found on PATH, else kmap)
  REPLICATION_FACTOR  one replication factor for every topic (default: each topic's own)
  DRY_RUN=1           same as --dry-run

A topic fails when the tool exits non-zero or prints a line starting with "Error". Failed topics
are counted, the script goes on, and the summary names them.

Exit status: 0 every topic created (or present); 1 every topic failed or nothing could run;
2 usage error; 3 some topics failed.
USAGE
}


""";

    private const string Tail = """
# Reads the data block into parallel arrays: names, partitions, replication factors, and one file
# of config arguments per topic ("$work_dir/<index>.configs", one "--config" then "key=value" per line pair).
load_topics() {
  names=()
  partitions=()
  factors=()
  local kind field1 field2 field3 name value file=""
  while IFS=$'\t' read -r kind field1 field2 field3; do
    case "$kind" in
      topic)
        printf -v name '%b' "$field1"
        names+=("$name")
        partitions+=("$field2")
        factors+=("$field3")
        file="$work_dir/${#names[@]}.configs"
        : >"$file"
        ;;
      config)
        printf -v name '%b' "$field1"
        printf -v value '%b' "$field2"
        printf '%s=%s\0' "$name" "$value" >>"$file"
        ;;
    esac
  done < <(topic_data)
}

main() {
  local list_only=0 taken
  selected=()
  while [ "$#" -gt 0 ]; do
    take_option --topic "$@"
    shift "$taken"
  done

  make_work_dir recreate-topics
  load_topics

  local index
  list_or_check "no topic named" "this script" ${names[@]+"${names[@]}"}

  local dry_run=0
  case "$DRY_RUN" in
    1 | true | yes) dry_run=1 ;;
  esac
  case "$REPLICATION_FACTOR" in
    '' | [1-9] | [1-9][0-9]) ;;
    *) fail_usage "REPLICATION_FACTOR must be a number, not '$REPLICATION_FACTOR'" ;;
  esac

  find_tool "$KAFKA_TOPICS" kafka-topics topics KAFKA_TOPICS
  read_command_config

  local to_run=() total=0
  select_to_run "Nothing to create: the script holds no topic." ${names[@]+"${names[@]}"}
  printf 'Creating %d topic(s) on %s with %s%s\n' "$total" "$BOOTSTRAP_SERVERS" "${tool[*]}" "$([ "$dry_run" -eq 1 ] && echo ' (dry run)')"

  local i=0 created=0 topic output rc factor pair
  local failed=() command=() configs=()
  for index in "${to_run[@]}"; do
    i=$((i + 1))
    topic="${names[$index]}"
    factor="${REPLICATION_FACTOR:-${factors[$index]}}"
    configs=()
    while IFS= read -r -d '' pair; do
      configs+=(--config "$pair")
    done <"$work_dir/$((index + 1)).configs"
    command=("${tool[@]}" --bootstrap-server "$BOOTSTRAP_SERVERS" ${config_args[@]+"${config_args[@]}"}
      --create --if-not-exists --topic "$topic" --partitions "${partitions[$index]}"
      --replication-factor "$factor" ${configs[@]+"${configs[@]}"})
    printf '[%d/%d] %s (%s partitions, replication factor %s, %d config(s))\n' "$i" "$total" "$topic" "${partitions[$index]}" "$factor" $((${#configs[@]} / 2))
    if [ "$dry_run" -eq 1 ]; then
      printf '    would run:'
      printf ' %q' "${command[@]}"
      printf '\n'
      created=$((created + 1))
      continue
    fi
    output="$("${command[@]}" 2>&1)"
    rc=$?
    if tool_succeeded "$rc" Error; then
      created=$((created + 1))
    else
      failed+=("$topic")
    fi
  done

  print_summary "$dry_run" "$created" "$total" "topic(s)" "would be created" "created or already present"
  finish topics "$created"
}

# ---- Data -----------------------------------------------------------------------------------
# One line per topic ("topic<TAB>name<TAB>partitions<TAB>replication factor") followed by its
# topic-level configs ("config<TAB>key<TAB>value", escaped for printf %b). The delimiter is quoted,
# so bash expands nothing here.
topic_data() {
  cat <<'KMAP_TOPIC_DATA'
@@DATA@@
KMAP_TOPIC_DATA
}

main "$@"

""";
}
