using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>The handlers a broker serves, by API key. Adding an API means adding its handler to <see cref="All"/>.</summary>
public sealed class ApiRegistry
{
    private readonly Dictionary<ApiKey, IApiHandler> _handlers;

    public ApiRegistry(IEnumerable<IApiHandler> handlers) => _handlers = handlers.ToDictionary(h => h.Key);

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

    public IApiHandler? Find(ApiKey key) => _handlers.GetValueOrDefault(key);

    public IEnumerable<IApiHandler> Handlers => _handlers.Values.OrderBy(h => h.Key);
}
