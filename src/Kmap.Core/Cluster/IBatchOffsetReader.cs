using Kmap.Core.Model;

namespace Kmap.Core.Cluster;

/// <summary>One group's answer from a batched read: its committed offsets, or why it could not be read.</summary>
public sealed record GroupOffsetsAnswer(IReadOnlyList<CommittedOffset>? Offsets, string? Error);

/// <summary>
/// Reads many groups' committed offsets in few round trips (multi-group OffsetFetch, v8+). Optional: a
/// reader that has it is asked first, and every group it leaves out of its answer is read one by one.
/// </summary>
public interface IBatchOffsetReader
{
    /// <summary>
    /// Answers for the groups it could ask about; null when batching is not possible at all (old brokers,
    /// TLS/SASL connections the hand-written client does not speak). Progress gets the groups answered so far.
    /// </summary>
    Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>?> ListCommittedOffsetsAsync(IReadOnlyList<string> groups, Action<int>? progress, CancellationToken cancellationToken);
}
