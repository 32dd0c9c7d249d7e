using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DeleteGroups v0–2 (flexible from v2).</summary>
public sealed record DeleteGroupsRequest(IReadOnlyList<string> GroupsNames) : IKafkaMessage<DeleteGroupsRequest>
{
    public static DeleteGroupsRequest Read(KafkaReader reader, short version)
    {
        var groups = reader.Array(r => r.String());
        reader.TaggedFields();
        return new DeleteGroupsRequest(groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(GroupsNames.ToList(), (w, g) => w.String(g));
        writer.TaggedFields();
    }
}

public sealed record DeletableGroupResult(string GroupId, ErrorCode ErrorCode);

public sealed record DeleteGroupsResponse(int ThrottleTimeMs, IReadOnlyList<DeletableGroupResult> Results) : IKafkaMessage<DeleteGroupsResponse>
{
    public static DeleteGroupsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var results = reader.Array(r =>
        {
            var result = new DeletableGroupResult(r.String(), (ErrorCode)r.Int16());
            r.TaggedFields();
            return result;
        });
        reader.TaggedFields();
        return new DeleteGroupsResponse(throttle, results);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Results.ToList(), (w, r) =>
        {
            w.String(r.GroupId);
            w.Int16((short)r.ErrorCode);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>Deletes empty groups with their offsets: NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND when unknown.</summary>
public sealed class DeleteGroupsHandler : ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    public override ApiKey Key => ApiKey.DeleteGroups;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<DeleteGroupsResponse?> HandleAsync(RequestContext context, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        var results = request.GroupsNames
            .Select(g => new DeletableGroupResult(g, coordinator.IsCoordinator(context.Broker, g) ? coordinator.DeleteGroup(g) : ErrorCode.NotCoordinator))
            .ToList();
        return ValueTask.FromResult<DeleteGroupsResponse?>(new DeleteGroupsResponse(0, results));
    }
}
