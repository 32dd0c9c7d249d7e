using System.CommandLine;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>The options of `kmap consumer-groups`, named as kafka-consumer-groups.sh names them.</summary>
internal sealed class ConsumerGroupsOptions
{
    public Option<string?> BootstrapServer { get; } = new("--bootstrap-server", [.. ConnectionOptions.BrokerSpellings.Where(s => s != "--bootstrap-server")]) { Description = "REQUIRED: the server(s) to connect to, host:port[,host:port]" };
    public Option<string?> CommandConfig { get; } = new("--command-config") { Description = "client.properties with security settings (security.protocol, sasl.*, ssl.* as PEM)" };
    public Option<bool> List { get; } = new("--list") { Description = "list all consumer groups" };
    public Option<bool> Describe { get; } = new("--describe") { Description = "describe groups: offsets and lag (default), --members or --state" };
    public Option<string[]> Group { get; } = new("--group") { Description = "the consumer group; repeatable", AllowMultipleArgumentsPerToken = false };
    public Option<bool> AllGroups { get; } = new("--all-groups") { Description = "apply to all consumer groups" };
    public Option<string?> State { get; } = new("--state") { Description = "with --describe: group state; with --list: filter by states (comma-separated), or show them", Arity = ArgumentArity.ZeroOrOne };
    public Option<string?> Type { get; } = new("--type") { Description = "with --list: show each group's type (classic, consumer, streams, share), or filter by types (comma-separated)", Arity = ArgumentArity.ZeroOrOne };
    public Option<bool> Members { get; } = new("--members") { Description = "with --describe: the members of the group" };
    public Option<bool> Offsets { get; } = new("--offsets") { Description = "with --describe: offsets and lag (the default)" };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "with --members: the assigned partitions too" };
    public Option<bool> ResetOffsets { get; } = new("--reset-offsets") { Description = "reset committed offsets (previews unless --execute)" };
    public Option<string?> FromFile { get; } = new("--from-file") { Description = "reset to the offsets in a CSV: topic,partition,offset (one --group) or group,topic,partition,offset" };
    public Option<bool> ToEarliest { get; } = new("--to-earliest") { Description = "reset to the log start" };
    public Option<bool> ToLatest { get; } = new("--to-latest") { Description = "reset to the log end" };
    public Option<bool> ToCurrent { get; } = new("--to-current") { Description = "reset to the current committed offset" };
    public Option<long?> ToOffset { get; } = new("--to-offset") { Description = "reset to this offset (clamped into the log)" };
    public Option<long?> ShiftBy { get; } = new("--shift-by") { Description = "move the committed offset by n (negative goes back; clamped into the log)" };
    public Option<string?> ToDateTime { get; } = new("--to-datetime") { Description = "reset to the first record at/after YYYY-MM-DDTHH:mm:SS.sss[Z|±hh:mm] (no zone: UTC)" };
    public Option<string?> ByDuration { get; } = new("--by-duration") { Description = "reset to the first record at/after now minus PnDTnHnMnS" };
    public Option<string[]> Topic { get; } = new("--topic") { Description = "topic or topic:0,1 to reset or delete offsets of; repeatable", AllowMultipleArgumentsPerToken = false };
    public Option<bool> AllTopics { get; } = new("--all-topics") { Description = "with --reset-offsets: every topic the group has committed offsets for" };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "only show the result (the default)" };
    public Option<bool> Execute { get; } = new("--execute") { Description = "apply the reset" };
    public Option<bool> Export { get; } = new("--export") { Description = "print the planned offsets as CSV for --from-file" };
    public Option<bool> Delete { get; } = new("--delete") { Description = "delete groups (they must have no members)" };
    public Option<bool> DeleteOffsets { get; } = new("--delete-offsets") { Description = "delete a group's committed offsets for --topic" };
    public Option<int?> Timeout { get; } = new("--timeout") { Description = "request timeout in milliseconds (default 30000)" };

    public Option<string> Format { get; } = OutputFormat.Create();

    public IEnumerable<Option> All =>
    [
        BootstrapServer, CommandConfig, List, Describe, Group, AllGroups, State, Type, Members, Offsets, Verbose,
        ResetOffsets, FromFile, ToEarliest, ToLatest, ToCurrent, ToOffset, ShiftBy, ToDateTime, ByDuration,
        Topic, AllTopics, DryRun, Execute, Export, Delete, DeleteOffsets, Timeout, Format,
    ];
}
