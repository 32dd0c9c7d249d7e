using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>
/// --list: group names, one per line; with --state and/or --type (as kafka-consumer-groups.sh), names with their
/// type and state, optionally filtered by them.
/// </summary>
internal static class ListGroupsAction
{
    public static async Task<int> RunAsync(ConsumerGroupsRequest request, IClusterReader reader, CliContext context, CancellationToken cancellationToken)
    {
        var groups = (await reader.ListGroupsAsync(cancellationToken)).OrderBy(g => g.Group, StringComparer.Ordinal).ToList();
        var tables = new TableSink(context.Out, request.Json);
        var states = Values(request.StateFilter);
        var types = Values(request.TypeFilter);
        var unknown = types.Where(t => GroupType.Parse(t) is null).ToList();
        if (unknown.Count > 0)
        {
            await context.Error.WriteLineAsync($"kmap: --type {string.Join(",", unknown)}: the group types are classic, consumer, streams and share");
            return ExitCodes.Usage;
        }
        groups = groups
            .Where(g => states.Count == 0 || states.Contains(g.State))
            .Where(g => types.Count == 0 || types.Contains(GroupType.OrClassic(g.Type)))
            .ToList();
        if (!request.StateGiven && !request.TypeGiven && tables.Json)
        {
            await tables.WriteAsync(["GROUP"], groups.Select(g => (IReadOnlyList<string>)[g.Group]).ToList());
            await tables.FlushAsync();
            return ExitCodes.Success;
        }
        if (!request.StateGiven && !request.TypeGiven)
        {
            foreach (var group in groups)
            {
                await context.Out.WriteLineAsync(group.Group);
            }
            return ExitCodes.Success;
        }
        // Kafka's tool: GROUP, TYPE with --type, STATE with --state, both with both.
        var headers = new List<string> { "GROUP" };
        if (request.TypeGiven)
        {
            headers.Add("TYPE");
        }
        if (request.StateGiven)
        {
            headers.Add("STATE");
        }
        var rows = groups.Select(g =>
        {
            var row = new List<string> { g.Group };
            if (request.TypeGiven)
            {
                row.Add(Capitalized(GroupType.OrClassic(g.Type)));
            }
            if (request.StateGiven)
            {
                row.Add(g.State);
            }
            return (IReadOnlyList<string>)row;
        }).ToList();
        await tables.WriteAsync(headers, rows);
        await tables.FlushAsync();
        return ExitCodes.Success;
    }

    private static HashSet<string> Values(string? list) => (list ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>As Kafka's tool prints a type: Classic, Consumer, Streams, Share.</summary>
    internal static string Capitalized(string type) => char.ToUpperInvariant(type[0]) + type[1..];
}
