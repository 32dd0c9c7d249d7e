using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

public sealed record StreamsTaskIds(string SubtopologyId, IReadOnlyList<int> Partitions);

public sealed record StreamsSubtopology(string SubtopologyId, IReadOnlyList<string> SourceTopics);

public sealed record StreamsGroupDescribeMember(
    string MemberId,
    int MemberEpoch,
    string? InstanceId,
    string? RackId,
    string ClientId,
    string ClientHost,
    int TopologyEpoch,
    string ProcessId,
    IReadOnlyList<StreamsTaskIds> ActiveTasks,
    IReadOnlyList<StreamsTaskIds> TargetActiveTasks);

public sealed record StreamsGroupDescribeGroup(
    ErrorCode ErrorCode,
    string? ErrorMessage,
    string GroupId,
    string GroupState,
    int GroupEpoch,
    int AssignmentEpoch,
    int? TopologyEpoch,
    IReadOnlyList<StreamsSubtopology> Subtopologies,
    IReadOnlyList<StreamsGroupDescribeMember> Members,
    int AuthorizedOperations);

/// <summary>
/// StreamsGroupDescribe v0 response (flexible). The sandbox's streams groups have one subtopology "0" reading
/// their source topics, no internal topics, no endpoints, tags or task offsets, and only active tasks.
/// </summary>
public sealed record StreamsGroupDescribeResponse(int ThrottleTimeMs, IReadOnlyList<StreamsGroupDescribeGroup> Groups) : IKafkaMessage<StreamsGroupDescribeResponse>
{
    private static List<StreamsTaskIds> ReadTasks(KafkaReader r) => r.Array(t =>
    {
        var tasks = new StreamsTaskIds(t.String(), t.Array(x => x.Int32()));
        t.TaggedFields();
        return tasks;
    });

    private static void WriteTasks(KafkaWriter w, IReadOnlyList<StreamsTaskIds> tasks) => w.Array(tasks.ToList(), (x, t) =>
    {
        x.String(t.SubtopologyId);
        x.Array(t.Partitions.ToList(), (y, p) => y.Int32(p));
        x.TaggedFields();
    });

    private static List<StreamsTaskIds> ReadAssignment(KafkaReader r)
    {
        var active = ReadTasks(r);
        ReadTasks(r); // standby
        ReadTasks(r); // warm-up
        r.TaggedFields();
        return active;
    }

    private static void WriteAssignment(KafkaWriter w, IReadOnlyList<StreamsTaskIds> active)
    {
        WriteTasks(w, active);
        WriteTasks(w, []);
        WriteTasks(w, []);
        w.TaggedFields();
    }

    private static void SkipTopicInfos(KafkaReader r) => r.Array(t =>
    {
        t.String();
        t.Int32();
        t.Int16();
        t.Array(kv =>
        {
            kv.String();
            kv.String();
            kv.TaggedFields();
            return 0;
        });
        t.TaggedFields();
        return 0;
    });

    public static StreamsGroupDescribeResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var groups = reader.Array(r =>
        {
            var error = (ErrorCode)r.Int16();
            var message = r.NullableString();
            var groupId = r.String();
            var state = r.String();
            var epoch = r.Int32();
            var assignmentEpoch = r.Int32();
            int? topologyEpoch = null;
            List<StreamsSubtopology> subtopologies = [];
            if (r.Int8() >= 0)
            {
                topologyEpoch = r.Int32();
                subtopologies = r.NullableArray(s =>
                {
                    var id = s.String();
                    var sources = s.Array(x => x.String());
                    s.Array(x => x.String());
                    SkipTopicInfos(s);
                    SkipTopicInfos(s);
                    s.TaggedFields();
                    return new StreamsSubtopology(id, sources);
                }) ?? [];
                r.TaggedFields();
            }
            var members = r.Array(m =>
            {
                var memberId = m.String();
                var memberEpoch = m.Int32();
                var instanceId = m.NullableString();
                var rackId = m.NullableString();
                var clientId = m.String();
                var clientHost = m.String();
                var memberTopologyEpoch = m.Int32();
                var processId = m.String();
                if (m.Int8() >= 0)
                {
                    m.String();
                    m.UInt16();
                    m.TaggedFields();
                }
                m.Array(kv =>
                {
                    kv.String();
                    kv.String();
                    kv.TaggedFields();
                    return 0;
                });
                for (var i = 0; i < 2; i++)
                {
                    m.Array(o =>
                    {
                        o.String();
                        o.Int32();
                        o.Int64();
                        o.TaggedFields();
                        return 0;
                    });
                }
                var assignment = ReadAssignment(m);
                var target = ReadAssignment(m);
                m.Bool();
                m.TaggedFields();
                return new StreamsGroupDescribeMember(memberId, memberEpoch, instanceId, rackId, clientId, clientHost, memberTopologyEpoch, processId, assignment, target);
            });
            var ops = r.Int32();
            r.TaggedFields();
            return new StreamsGroupDescribeGroup(error, message, groupId, state, epoch, assignmentEpoch, topologyEpoch, subtopologies, members, ops);
        });
        reader.TaggedFields();
        return new StreamsGroupDescribeResponse(throttle, groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Groups.ToList(), (w, g) =>
        {
            w.Int16((short)g.ErrorCode);
            w.NullableString(g.ErrorMessage);
            w.String(g.GroupId);
            w.String(g.GroupState);
            w.Int32(g.GroupEpoch);
            w.Int32(g.AssignmentEpoch);
            if (g.TopologyEpoch is not { } topologyEpoch)
            {
                w.Int8(-1);
            }
            else
            {
                w.Int8(1);
                w.Int32(topologyEpoch);
                w.NullableArray(g.Subtopologies.ToList(), (sw, s) =>
                {
                    sw.String(s.SubtopologyId);
                    sw.Array(s.SourceTopics.ToList(), (x, t) => x.String(t));
                    sw.Array(new List<string>(), (x, t) => x.String(t));
                    sw.Array(new List<int>(), (_, _) => { });
                    sw.Array(new List<int>(), (_, _) => { });
                    sw.TaggedFields();
                });
                w.TaggedFields();
            }
            w.Array(g.Members.ToList(), (mw, m) =>
            {
                mw.String(m.MemberId);
                mw.Int32(m.MemberEpoch);
                mw.NullableString(m.InstanceId);
                mw.NullableString(m.RackId);
                mw.String(m.ClientId);
                mw.String(m.ClientHost);
                mw.Int32(m.TopologyEpoch);
                mw.String(m.ProcessId);
                mw.Int8(-1); // no user endpoint
                mw.Array(new List<int>(), (_, _) => { }); // client tags
                mw.Array(new List<int>(), (_, _) => { }); // task offsets
                mw.Array(new List<int>(), (_, _) => { }); // task end offsets
                WriteAssignment(mw, m.ActiveTasks);
                WriteAssignment(mw, m.TargetActiveTasks);
                mw.Bool(false);
                mw.TaggedFields();
            });
            w.Int32(g.AuthorizedOperations);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Describes streams groups (KIP-1071), which the sandbox keeps as described types with committed offsets (see
/// SandboxCluster's test hooks). Errors as Kafka: absent → "Group X not found.", other types → "Group X is not a streams group.".
/// </summary>
public sealed class StreamsGroupDescribeHandler : ApiHandler<ConsumerGroupDescribeRequest, StreamsGroupDescribeResponse>
{
    public override ApiKey Key => ApiKey.StreamsGroupDescribe;
    public override short MinVersion => 0;
    public override short MaxVersion => 0;
    public override short FirstFlexibleVersion => 0;

    protected override ValueTask<StreamsGroupDescribeResponse?> HandleAsync(RequestContext context, ConsumerGroupDescribeRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var described = new List<StreamsGroupDescribeGroup>(request.GroupIds.Count);
        lock (cluster.Sync)
        {
            foreach (var groupId in request.GroupIds)
            {
                StreamsGroupDescribeGroup Failed(ErrorCodeAndMessage e) => new(e.Code, e.Message, groupId, "", 0, 0, null, [], [], int.MinValue);
                var error = cluster.Groups.FindForDescribe(context.Broker, groupId, GroupType.Streams, out var group);
                if (group is null)
                {
                    described.Add(Failed(error));
                    continue;
                }
                var modern = group.Modern!;
                var sources = modern.Members.Values.SelectMany(m => m.SubscribedTopicNames)
                    .Concat(group.Offsets.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                List<StreamsTaskIds> Tasks(IEnumerable<GroupTopicPartition> partitions)
                {
                    var numbers = partitions.Select(p => p.Partition).Distinct().Order().ToList();
                    return numbers.Count == 0 ? [] : [new StreamsTaskIds("0", numbers)];
                }
                var members = modern.Members.Values.Select(m => new StreamsGroupDescribeMember(m.MemberId, m.MemberEpoch, m.InstanceId, m.RackId,
                    m.ClientId, m.ClientHost, 0, m.ProcessId, Tasks(m.Assigned), Tasks(modern.TargetOf(m.MemberId)))).ToList();
                described.Add(new StreamsGroupDescribeGroup(ErrorCode.None, null, groupId, modern.StateName(), modern.GroupEpoch, modern.AssignmentEpoch,
                    0, sources.Count == 0 ? [] : [new StreamsSubtopology("0", sources)], members,
                    request.IncludeAuthorizedOperations ? DescribedTopicPartitions.AllGroupOperations : int.MinValue));
            }
        }
        return ValueTask.FromResult<StreamsGroupDescribeResponse?>(new StreamsGroupDescribeResponse(0, described));
    }
}
