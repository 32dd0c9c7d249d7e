using Kmap.Core.Cluster;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>--list: group names, one per line; with --state, names and states (optionally filtered).</summary>
internal static class ListGroupsAction
{
    public static async Task<int> RunAsync(ConsumerGroupsRequest request, IClusterReader reader, CliContext context, CancellationToken cancellationToken)
    {
        var groups = (await reader.ListGroupsAsync(cancellationToken)).OrderBy(g => g.Group, StringComparer.Ordinal).ToList();
        var tables = new TableSink(context.Out, request.Json);
        if (!request.StateGiven && tables.Json)
        {
            await tables.WriteAsync(["GROUP"], groups.Select(g => (IReadOnlyList<string>)[g.Group]).ToList());
            await tables.FlushAsync();
            return ExitCodes.Success;
        }
        if (!request.StateGiven)
        {
            foreach (var group in groups)
            {
                await context.Out.WriteLineAsync(group.Group);
            }
            return ExitCodes.Success;
        }
        var wanted = (request.StateFilter ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rows = groups
            .Where(g => wanted.Count == 0 || wanted.Contains(g.State))
            .Select(g => (IReadOnlyList<string>)[g.Group, g.State])
            .ToList();
        await tables.WriteAsync(["GROUP", "STATE"], rows);
        await tables.FlushAsync();
        return ExitCodes.Success;
    }
}
