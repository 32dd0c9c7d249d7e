using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>ListGroups v0–5 (throttle from v1, flexible from v3, states filter and state from v4, types filter and type from v5).</summary>
public sealed record ListGroupsRequest(IReadOnlyList<string> StatesFilter, IReadOnlyList<string> TypesFilter) : IKafkaMessage<ListGroupsRequest>
{
    public static ListGroupsRequest Read(KafkaReader reader, short version)
    {
        var states = version >= 4 ? reader.Array(r => r.String()) : [];
        var types = version >= 5 ? reader.Array(r => r.String()) : [];
        reader.TaggedFields();
        return new ListGroupsRequest(states, types);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 4)
        {
            writer.Array(StatesFilter.ToList(), (w, s) => w.String(s));
        }
        if (version >= 5)
        {
            writer.Array(TypesFilter.ToList(), (w, s) => w.String(s));
        }
        writer.TaggedFields();
    }
}

public sealed record ListedGroup(string GroupId, string ProtocolType, string GroupState, string GroupType);

public sealed record ListGroupsResponse(int ThrottleTimeMs, ErrorCode ErrorCode, IReadOnlyList<ListedGroup> Groups) : IKafkaMessage<ListGroupsResponse>
{
    public static ListGroupsResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var error = (ErrorCode)reader.Int16();
        var groups = reader.Array(r =>
        {
            var id = r.String();
            var protocolType = r.String();
            var state = version >= 4 ? r.String() : "";
            var type = version >= 5 ? r.String() : "";
            r.TaggedFields();
            return new ListedGroup(id, protocolType, state, type);
        });
        reader.TaggedFields();
        return new ListGroupsResponse(throttle, error, groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Int16((short)ErrorCode);
        writer.Array(Groups.ToList(), (w, g) =>
        {
            w.String(g.GroupId);
            w.String(g.ProtocolType);
            if (version >= 4)
            {
                w.String(g.GroupState);
            }
            if (version >= 5)
            {
                w.String(g.GroupType);
            }
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Lists the groups this broker coordinates (clients ask every broker and merge). Groups created by admin
/// offset commits have protocol type "" — Kafka reports the empty string, not "consumer". Consumer, share and
/// streams groups list with protocol types "consumer", "share" and "streams" at every version, their own
/// state names, and their type from v5. Filters compare case-insensitively, as Kafka does.
/// </summary>
public sealed class ListGroupsHandler : ApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    public override ApiKey Key => ApiKey.ListGroups;
    public override short MinVersion => 0;
    public override short MaxVersion => 5;
    public override short FirstFlexibleVersion => 3;

    protected override ValueTask<ListGroupsResponse?> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        var states = request.StatesFilter.Select(s => s.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var types = request.TypesFilter.Select(s => s.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var coordinator = context.Cluster.Groups;
        var listed = new List<ListedGroup>();
        lock (context.Cluster.Sync)
        {
            foreach (var group in coordinator.Groups.Values)
            {
                if (!coordinator.IsCoordinator(context.Broker, group.GroupId))
                {
                    continue;
                }
                var state = group.Modern?.StateName() ?? group.State.WireName();
                var type = group.Type.WireName();
                if ((states.Count > 0 && !states.Contains(state)) || (types.Count > 0 && !types.Contains(type)))
                {
                    continue;
                }
                listed.Add(new ListedGroup(group.GroupId, group.ProtocolType ?? "", state, type));
            }
        }
        return ValueTask.FromResult<ListGroupsResponse?>(new ListGroupsResponse(0, ErrorCode.None, listed));
    }
}
