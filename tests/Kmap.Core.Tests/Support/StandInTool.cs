using System.Text;

namespace Kmap.Core.Tests.Support;

/// <summary>
/// A stand-in for Kafka's kafka-consumer-groups.sh: records each call's arguments (NUL-separated) and
/// CSV, checks the CSV as Kafka's parser would (no header; topic,partition,offset), and behaves like
/// Kafka for an active group: prints "Error: ..." on stdout and exits 0.
/// </summary>
public sealed class StandInTool
{
    private const string Script = """
        #!/usr/bin/env bash
        set -u
        log="$STANDIN_LOG"
        n=$(find "$log" -mindepth 1 -maxdepth 1 -type d | wc -l)
        dir="$log/$(printf '%04d' "$n")"
        mkdir -p "$dir"
        printf '%s\0' "$@" >"$dir/args"
        group="" file="" groups=()
        while [ "$#" -gt 0 ]; do
          case "$1" in
            --group) group="$2"; groups+=("$2"); shift ;;
            --group=*) group="${1#--group=}"; groups+=("$group") ;;
            --from-file) file="$2"; shift ;;
          esac
          shift
        done
        cp "$file" "$dir/input.csv"
        while IFS= read -r line || [ -n "$line" ]; do
          # Several --group: Kafka's multi-group CSV, group,topic,partition,offset.
          if [ "${#groups[@]}" -gt 1 ]; then pattern='^[^,]+,[A-Za-z0-9._-]+,[0-9]+,[0-9]+$'; else pattern='^[A-Za-z0-9._-]+,[0-9]+,[0-9]+$'; fi
          if ! [[ "$line" =~ $pattern ]]; then
            printf 'Error: not a topic,partition,offset line: %s\n' "$line"
            exit 1
          fi
        done <"$file"
        for g in "${groups[@]}"; do
          if [ -f "${STANDIN_ACTIVE:-/nonexistent}" ] && grep -qxF -- "$g" "$STANDIN_ACTIVE"; then
            printf '\nError: Assignments can only be reset if the group '\''%s'\'' is inactive, but the current state is Stable.\n\n' "$g"
            exit 0
          fi
        done
        if [ -f "${STANDIN_BROKEN:-/nonexistent}" ] && grep -qxF -- "$group" "$STANDIN_BROKEN"; then
          echo "org.apache.kafka.common.errors.TimeoutException: timed out" >&2
          exit 1
        fi
        printf '\nGROUP TOPIC PARTITION NEW-OFFSET\n'
        exit 0
        """;

    public StandInTool(string directory, string name = "kafka-consumer-groups.sh")
    {
        BinDirectory = Path.Combine(directory, "bin");
        LogDirectory = Path.Combine(directory, "calls");
        Directory.CreateDirectory(BinDirectory);
        Directory.CreateDirectory(LogDirectory);
        ToolPath = Path.Combine(BinDirectory, name);
        File.WriteAllText(ToolPath, Script.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ToolPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        ActiveGroupsFile = Path.Combine(directory, "active-groups");
        BrokenGroupsFile = Path.Combine(directory, "broken-groups");
    }

    public string BinDirectory { get; }
    public string LogDirectory { get; }
    public string ToolPath { get; }
    public string ActiveGroupsFile { get; }
    public string BrokenGroupsFile { get; }

    public Dictionary<string, string?> Environment(string home) => new()
    {
        ["STANDIN_LOG"] = LogDirectory,
        ["STANDIN_ACTIVE"] = ActiveGroupsFile,
        ["STANDIN_BROKEN"] = BrokenGroupsFile,
        ["PATH"] = $"{BinDirectory}:/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = home,
        ["BOOTSTRAP_SERVERS"] = null,
        ["COMMAND_CONFIG"] = null,
        ["KAFKA_CONSUMER_GROUPS"] = null,
        ["DRY_RUN"] = null,
        ["BATCH_SIZE"] = null,
    };

    public sealed record Call(IReadOnlyList<string> Args, string Csv)
    {
        public string Group => Args.Single(a => a.StartsWith("--group=", StringComparison.Ordinal))["--group=".Length..];
    }

    public IReadOnlyList<Call> Calls() =>
        Directory.GetDirectories(LogDirectory).Order(StringComparer.Ordinal).Select(d =>
        {
            var raw = File.ReadAllText(Path.Combine(d, "args"), Encoding.UTF8);
            var args = raw.Split('\0')[..^1];
            var csvPath = Path.Combine(d, "input.csv");
            return new Call(args, File.Exists(csvPath) ? File.ReadAllText(csvPath) : "");
        }).ToList();
}
