using System.Globalization;
using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>--describe: offsets and lag (default), --members, or --state, with kafka-consumer-groups.sh's columns.</summary>
internal static class DescribeGroupsAction
{
    public static async Task<int> RunAsync(ConsumerGroupsRequest request, IClusterReader reader, CliContext context, CancellationToken cancellationToken)
    {
        var names = request.AllGroups
            ? (await reader.ListGroupsAsync(cancellationToken)).Select(g => g.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
            : request.Groups.ToList();
        var descriptions = (await reader.DescribeGroupsAsync(names, cancellationToken)).ToDictionary(d => d.Group, StringComparer.Ordinal);
        var exit = ExitCodes.Success;
        var tables = new TableSink(context.Out, request.Json);
        // With --format json only the JSON goes to stdout; the human lines go to stderr.
        context = request.Json ? context with { Out = context.Error } : context;
        foreach (var name in names)
        {
            var description = descriptions.GetValueOrDefault(name) ?? new GroupDescription(name, GroupState.Dead, []);
            if (description.Error is not null)
            {
                await context.Out.WriteLineAsync($"\nError: Consumer group '{name}' could not be described: {description.Error}");
                exit = ExitCodes.Failure;
                continue;
            }
            if (request.StateGiven)
            {
                await WriteStateAsync(description, context, tables);
            }
            else if (request.Members)
            {
                await WriteMembersAsync(description, request.Verbose, context, tables);
            }
            else if (!await WriteOffsetsAsync(description, reader, context, tables, cancellationToken))
            {
                exit = ExitCodes.Failure;
            }
        }
        await tables.FlushAsync();
        return exit;
    }

    private static async Task WriteStateAsync(GroupDescription d, CliContext context, TableSink tables)
    {
        var coordinator = d.Coordinator is null ? "-" : $"{d.Coordinator} ({d.CoordinatorId})";
        await context.Out.WriteLineAsync();
        // TYPE last: Kafka's columns keep their places for scripts that read them by position.
        await tables.WriteAsync(["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS", "TYPE"],
            [[d.Group, coordinator, string.IsNullOrEmpty(d.PartitionAssignor) ? "-" : d.PartitionAssignor, d.State, d.Members.Count.ToString(CultureInfo.InvariantCulture),
              ListGroupsAction.Capitalized(GroupType.OrClassic(d.Type))]]);
    }

    private static async Task WriteMembersAsync(GroupDescription d, bool verbose, CliContext context, TableSink tables)
    {
        await context.Out.WriteLineAsync();
        if (d.Members.Count == 0)
        {
            await context.Out.WriteLineAsync($"Consumer group '{d.Group}' has no active members.");
            return;
        }
        var headers = new List<string> { "GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS" };
        if (verbose)
        {
            headers.Add("ASSIGNMENT");
        }
        var rows = d.Members.Select(m =>
        {
            var row = new List<string> { d.Group, m.MemberId, m.Host, m.ClientId, m.Assignment.Count.ToString(CultureInfo.InvariantCulture) };
            if (verbose)
            {
                row.Add(m.Assignment.Count == 0 ? "-" : string.Join(",", m.Assignment.GroupBy(a => a.Topic).Select(g => $"{g.Key}({string.Join(",", g.Select(a => a.Partition))})")));
            }
            return (IReadOnlyList<string>)row;
        }).ToList();
        await tables.WriteAsync(headers, rows);
    }

    private static async Task<bool> WriteOffsetsAsync(GroupDescription d, IClusterReader reader, CliContext context, TableSink tables, CancellationToken cancellationToken)
    {
        // A share group has start offsets (DescribeShareGroupOffsets) where the other types have committed offsets.
        var committed = (GroupType.IsShare(d.Type) && reader is IShareGroupOffsets share
                ? (await share.ListShareGroupOffsetsAsync([d.Group], cancellationToken)).GetValueOrDefault(d.Group)?.Offsets ?? []
                : await reader.ListCommittedOffsetsAsync(d.Group, cancellationToken))
            .ToDictionary(c => c.TopicPartition, c => c.Offset);
        var owners = new Dictionary<TopicPartition, GroupMember>();
        foreach (var member in d.Members)
        {
            foreach (var tp in member.Assignment)
            {
                owners[tp] = member;
            }
        }
        var partitions = committed.Keys.Concat(owners.Keys).Distinct().Order().ToList();
        if (string.Equals(d.State, GroupState.Dead, StringComparison.Ordinal) && partitions.Count == 0)
        {
            await context.Out.WriteLineAsync($"\nError: Consumer group '{d.Group}' does not exist.");
            return false;
        }
        await context.Out.WriteLineAsync();
        if (d.Members.Count == 0)
        {
            await context.Out.WriteLineAsync($"Consumer group '{d.Group}' has no active members.");
            await context.Out.WriteLineAsync();
        }
        var logs = partitions.Count == 0 ? new Dictionary<TopicPartition, LogOffsets>() : await reader.ListLogOffsetsAsync(partitions, cancellationToken);
        var rows = partitions.Select(tp =>
        {
            long? current = committed.TryGetValue(tp, out var c) ? c : null;
            long? end = logs.TryGetValue(tp, out var log) ? log.LogEndOffset : null;
            var owner = owners.GetValueOrDefault(tp);
            return (IReadOnlyList<string>)
            [
                d.Group, tp.Topic, tp.Partition.ToString(CultureInfo.InvariantCulture),
                Show(current), Show(end), Show(current is { } cur && end is { } e ? Math.Max(0, e - cur) : null),
                owner?.MemberId ?? "-", owner?.Host ?? "-", owner?.ClientId ?? "-",
            ];
        }).ToList();
        await tables.WriteAsync(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"], rows);
        return true;
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
