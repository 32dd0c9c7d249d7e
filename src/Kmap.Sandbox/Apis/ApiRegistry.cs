using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// The handlers a broker serves, by API key, limited to what one Kafka release (<see cref="Profile"/>) offers:
/// an API is served, and advertised in ApiVersions, at the versions both its handler and the release have.
/// A handler the release lacks is neither advertised nor answered. Adding an API means adding its handler to
/// <see cref="All"/> and its ranges to <see cref="KafkaVersionProfile"/>.
/// </summary>
public sealed class ApiRegistry
{
    private readonly Dictionary<ApiKey, IApiHandler> _handlers;

    public ApiRegistry(IEnumerable<IApiHandler> handlers, KafkaVersionProfile? profile = null)
    {
        _handlers = handlers.ToDictionary(h => h.Key);
        Profile = profile ?? KafkaVersionProfile.Newest;
    }

    /// <summary>The Kafka release whose API versions this broker advertises and accepts.</summary>
    public KafkaVersionProfile Profile { get; }

    /// <summary>Every handler the sandbox has, limited to <paramref name="profile"/>'s APIs and versions.</summary>
    public static ApiRegistry All(KafkaVersionProfile profile) => new(Handlers(), profile);

    /// <summary>Every handler the sandbox has, whatever the release.</summary>
    public static IReadOnlyList<IApiHandler> Handlers() => [.. All()._handlers.Values.OrderBy(h => h.Key)];

    public static ApiRegistry All() => new(
    [
        new ProduceHandler(),
        new FetchHandler(),
        new ListOffsetsHandler(),
        new MetadataHandler(),
        new OffsetCommitHandler(),
        new OffsetFetchHandler(),
        new FindCoordinatorHandler(),
        new JoinGroupHandler(),
        new HeartbeatHandler(),
        new LeaveGroupHandler(),
        new SyncGroupHandler(),
        new DescribeGroupsHandler(),
        new ListGroupsHandler(),
        new SaslHandshakeHandler(),
        new ApiVersionsHandler(),
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new DeleteRecordsHandler(),
        new InitProducerIdHandler(),
        new DescribeConfigsHandler(),
        new AlterConfigsHandler(),
        new DescribeLogDirsHandler(),
        new CreatePartitionsHandler(),
        new SaslAuthenticateHandler(),
        new DeleteGroupsHandler(),
        new IncrementalAlterConfigsHandler(),
        new OffsetDeleteHandler(),
        new DescribeClusterHandler(),
        new ConsumerGroupHeartbeatHandler(),
        new ConsumerGroupDescribeHandler(),
        new ShareGroupDescribeHandler(),
        new StreamsGroupDescribeHandler(),
        new DescribeShareGroupOffsetsHandler(),
        new AlterShareGroupOffsetsHandler(),
    ]);

    /// <summary>The handler of <paramref name="key"/> when the release has that API; null when it is not served.</summary>
    public IApiHandler? Find(ApiKey key) => Range(key) is null ? null : _handlers.GetValueOrDefault(key);

    /// <summary>The versions of <paramref name="key"/> this broker serves: the release's range cut to its handler's; null when none.</summary>
    public ApiVersionRange? Range(ApiKey key)
    {
        if (!_handlers.TryGetValue(key, out var handler) || Profile.Range(key) is not { } release)
        {
            return null;
        }
        var min = Math.Max(release.MinVersion, handler.MinVersion);
        var max = Math.Min(release.MaxVersion, handler.MaxVersion);
        return min <= max ? new ApiVersionRange((short)key, (short)min, (short)max) : null;
    }

    /// <summary>What ApiVersions advertises: every served API with its served versions, by key.</summary>
    public IReadOnlyList<ApiVersionRange> Advertised =>
        [.. _handlers.Keys.Order().Select(Range).OfType<ApiVersionRange>()];
}
