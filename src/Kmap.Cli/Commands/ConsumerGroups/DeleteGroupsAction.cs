using System.Globalization;
using Kmap.Core.Cluster;
using Kmap.Core.Model;
using Kmap.Core.Restore;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>--delete (whole groups) and --delete-offsets (a group's offsets for some topics).</summary>
internal static class DeleteGroupsAction
{
    public static async Task<int> DeleteGroupsAsync(ConsumerGroupsRequest request, IClusterReader reader, IOffsetWriter writer, CliContext context, CancellationToken cancellationToken)
    {
        var names = request.AllGroups
            ? (await reader.ListGroupsAsync(cancellationToken)).Select(g => g.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
            : request.Groups.ToList();
        if (names.Count == 0)
        {
            await context.Out.WriteLineAsync("No consumer group to delete.");
            return ExitCodes.Success;
        }
        var results = await writer.DeleteGroupsAsync(names, cancellationToken);
        var succeeded = results.Where(r => r.Succeeded).Select(r => r.Group).ToList();
        var failed = results.Where(r => !r.Succeeded).ToList();
        if (succeeded.Count > 0)
        {
            await context.Out.WriteLineAsync($"Deletion of requested consumer groups ('{string.Join("', '", succeeded)}') was successful.");
        }
        if (failed.Count > 0)
        {
            await context.Out.WriteLineAsync("Error: Deletion of some consumer groups failed:");
            foreach (var f in failed)
            {
                await context.Out.WriteLineAsync($"* Group '{f.Group}' could not be deleted due to: {f.Error}");
            }
        }
        return failed.Count == 0 ? ExitCodes.Success : succeeded.Count == 0 ? ExitCodes.Failure : ExitCodes.Partial;
    }

    public static async Task<int> DeleteOffsetsAsync(ConsumerGroupsRequest request, IClusterReader reader, IOffsetWriter writer, CliContext context, CancellationToken cancellationToken)
    {
        var group = request.Groups[0];
        var topics = await reader.ListTopicsAsync(cancellationToken);
        var partitions = new List<TopicPartition>();
        foreach (var selection in request.Topics.Select(TopicSelection.Parse))
        {
            if (!topics.TryGetValue(selection.Topic, out var count))
            {
                await context.Out.WriteLineAsync($"Error: Topic '{selection.Topic}' does not exist.");
                return ExitCodes.Failure;
            }
            partitions.AddRange((selection.Partitions ?? Enumerable.Range(0, count).ToList()).Select(p => new TopicPartition(selection.Topic, p)));
        }
        var results = await writer.DeleteOffsetsAsync(group, partitions, cancellationToken);
        var failed = results.Count(r => !r.Succeeded);
        await context.Out.WriteLineAsync(failed == 0
            ? $"Request succeed for deleting offsets from group '{group}'."
            : $"Error: Encounter some partition level error, see the follow-up details:");
        await context.Out.WriteLineAsync();
        await context.Out.WriteAsync(TextTable.Render(["TOPIC", "PARTITION", "STATUS"],
            results.OrderBy(r => r.TopicPartition).Select(r => (IReadOnlyList<string>)
                [r.TopicPartition.Topic, r.TopicPartition.Partition.ToString(CultureInfo.InvariantCulture), r.Error is null ? "Successful" : $"Error: {r.Error}"]).ToList()));
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
