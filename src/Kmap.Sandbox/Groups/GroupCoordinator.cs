using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>
/// Consumer groups and their committed offsets, for every coordinator broker of the cluster (which broker
/// coordinates a group is <see cref="ClusterState.CoordinatorFor"/>; handlers refuse the others).
/// The classic rebalance protocol follows Kafka's GroupMetadataManager: JoinGroup requests are parked as
/// waiters until every known member has rejoined (or the rebalance timeout passes), then the generation
/// advances and the leader gets everyone's metadata; SyncGroup hands out the leader's assignments.
/// Every method takes <see cref="ClusterState.Sync"/>; timers (sessions, join and sync deadlines) run under it too.
/// </summary>
public sealed partial class GroupCoordinator : IDisposable
{
    private readonly ClusterState _cluster;
    private readonly Dictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly GroupTimers _timers;

    public GroupCoordinator(ClusterState cluster)
    {
        _cluster = cluster;
        _timers = new GroupTimers(cluster.Sync, cluster.Time);
    }

    public ClusterState Cluster => _cluster;
    private GroupSettings Settings => _cluster.Options.Groups;
    private object Sync => _cluster.Sync;

    /// <summary>All groups, by id. Caller holds <see cref="ClusterState.Sync"/>.</summary>
    public IReadOnlyDictionary<string, ConsumerGroup> Groups => _groups;

    /// <summary>Whether <paramref name="broker"/> coordinates <paramref name="groupId"/>.</summary>
    public bool IsCoordinator(Broker broker, string groupId) => _cluster.CoordinatorFor(groupId).Id == broker.Id;

    /// <summary>Caller holds <see cref="ClusterState.Sync"/>.</summary>
    public ConsumerGroup? Find(string groupId) => _groups.GetValueOrDefault(groupId);

    /// <summary>
    /// The checks Kafka 4's describe requests (ConsumerGroupDescribe, ShareGroupDescribe, StreamsGroupDescribe) make,
    /// in Kafka's order, with its errors: <paramref name="broker"/> coordinates the group (NOT_COORDINATOR), the group
    /// exists ("Group X not found.") and has <paramref name="type"/> ("Group X is not a … group."). On success
    /// <paramref name="group"/> is set and has a <see cref="ConsumerGroup.Modern"/> part. Caller holds <see cref="ClusterState.Sync"/>.
    /// </summary>
    public ErrorCodeAndMessage FindForDescribe(Broker broker, string groupId, GroupType type, out ConsumerGroup? group)
    {
        group = null;
        if (!IsCoordinator(broker, groupId))
        {
            return new ErrorCodeAndMessage(ErrorCode.NotCoordinator, null);
        }
        if (Find(groupId) is not { } found)
        {
            return ErrorCodeAndMessage.NotFound(groupId);
        }
        if (found.Modern?.Type != type)
        {
            return ErrorCodeAndMessage.WrongType(groupId, type);
        }
        group = found;
        return ErrorCodeAndMessage.None;
    }

    private static string HeartbeatKey(string groupId, string memberId) => $"heartbeat-{groupId}-{memberId}";
    private static string JoinKey(string groupId) => $"join-{groupId}";
    private static string SyncKey(string groupId) => $"sync-{groupId}";

    // ---------------------------------------------------------------- JoinGroup

    public Task<JoinGroupOutcome> JoinAsync(JoinGroupCall call)
    {
        lock (Sync)
        {
            if (call.GroupId.Length == 0)
            {
                return Task.FromResult(JoinGroupOutcome.Failed(ErrorCode.InvalidGroupId, call.MemberId));
            }
            if (call.SessionTimeoutMs < Settings.MinSessionTimeoutMs || call.SessionTimeoutMs > Settings.MaxSessionTimeoutMs)
            {
                return Task.FromResult(JoinGroupOutcome.Failed(ErrorCode.InvalidSessionTimeout, call.MemberId));
            }
            var isUnknownMember = call.MemberId.Length == 0;
            if (!_groups.TryGetValue(call.GroupId, out var group))
            {
                if (!isUnknownMember)
                {
                    return Task.FromResult(JoinGroupOutcome.Failed(ErrorCode.UnknownMemberId, call.MemberId));
                }
                group = new ConsumerGroup(call.GroupId);
                _groups[call.GroupId] = group;
            }
            else if (group.Type != GroupType.Classic)
            {
                // Kafka's classicGroupJoin: an empty consumer or streams group becomes a classic group; a share
                // group, a live streams group and (in the sandbox, which has no mixed groups) a live consumer
                // group refuse classic members.
                if (group.Type is GroupType.Consumer or GroupType.Streams && group.HasNoMembers)
                {
                    group.ConvertTo(GroupType.Classic);
                }
                else
                {
                    return Task.FromResult(JoinGroupOutcome.Failed(ErrorCode.InconsistentGroupProtocol, ""));
                }
            }
            var waiter = new TaskCompletionSource<JoinGroupOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (isUnknownMember)
            {
                JoinNewMember(group, call, waiter);
            }
            else
            {
                JoinExistingMember(group, call, waiter);
            }
            return waiter.Task;
        }
    }

    private void JoinNewMember(ConsumerGroup group, JoinGroupCall call, TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        if (!group.SupportsProtocols(call.ProtocolType, call.Protocols))
        {
            waiter.TrySetResult(JoinGroupOutcome.Failed(ErrorCode.InconsistentGroupProtocol, ""));
            return;
        }
        var newMemberId = $"{call.GroupInstanceId ?? call.ClientId}-{Guid.NewGuid()}";
        if (call.GroupInstanceId is not null)
        {
            if (group.StaticMembers.TryGetValue(call.GroupInstanceId, out var oldMemberId))
            {
                ReplaceStaticMember(group, call, oldMemberId, newMemberId, waiter);
            }
            else
            {
                AddMemberThenRebalanceOrCompleteJoin(group, call, newMemberId, waiter);
            }
            return;
        }
        if (call.RequireKnownMemberId)
        {
            // From JoinGroup v4 the member must come back with the id we hand out, so that a client that
            // times out and retries does not leave a trail of defunct members behind.
            group.PendingMembers.Add(newMemberId);
            ScheduleHeartbeatExpiry(group, newMemberId, call.SessionTimeoutMs);
            waiter.TrySetResult(JoinGroupOutcome.Failed(ErrorCode.MemberIdRequired, newMemberId));
            return;
        }
        AddMemberThenRebalanceOrCompleteJoin(group, call, newMemberId, waiter);
    }

    /// <summary>
    /// A static member restarted and rejoined without its member id (Kafka's updateStaticMemberThenRebalanceOrCompleteJoin):
    /// it takes over the old member's place, assignment and leadership under a new id, and the old id is fenced.
    /// In a Stable group whose protocol would not change there is no rebalance at all.
    /// </summary>
    private void ReplaceStaticMember(ConsumerGroup group, JoinGroupCall call, string oldMemberId, string newMemberId,
        TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        if (group.Member(oldMemberId) is null)
        {
            group.StaticMembers.Remove(call.GroupInstanceId!);
            AddMemberThenRebalanceOrCompleteJoin(group, call, newMemberId, waiter);
            return;
        }
        var currentLeader = group.LeaderId ?? "";
        _timers.Cancel(HeartbeatKey(group.GroupId, oldMemberId));
        var member = group.ReplaceStaticMember(call.GroupInstanceId!, oldMemberId, newMemberId, call.ClientHost);
        ScheduleHeartbeatExpiry(group, newMemberId, member.SessionTimeoutMs);
        UpdateMember(group, member, call, waiter);
        switch (group.State)
        {
            case GroupState.Stable when group.SelectProtocol() == group.ProtocolName:
                {
                    var isLeader = group.IsLeader(newMemberId);
                    member.CompleteJoin(call.SupportsSkippingAssignment
                        ? new JoinGroupOutcome(ErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName,
                            group.LeaderId ?? "", newMemberId, isLeader ? group.JoinedMembers() : [], SkipAssignment: isLeader)
                        : new JoinGroupOutcome(ErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName,
                            currentLeader, newMemberId, []));
                    break;
                }
            case GroupState.Stable:
                MaybePrepareRebalanceOrCompleteJoin(group);
                break;
            case GroupState.CompletingRebalance:
                // The leader may already be assigning under the old id: start over.
                PrepareRebalance(group);
                break;
            default:
                MaybeCompleteJoinPhase(group);
                break;
        }
    }

    private void JoinExistingMember(ConsumerGroup group, JoinGroupCall call, TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        var memberId = call.MemberId;
        if (!group.SupportsProtocols(call.ProtocolType, call.Protocols))
        {
            waiter.TrySetResult(JoinGroupOutcome.Failed(ErrorCode.InconsistentGroupProtocol, memberId));
            return;
        }
        if (group.PendingMembers.Contains(memberId))
        {
            AddMemberThenRebalanceOrCompleteJoin(group, call, memberId, waiter);
            return;
        }
        var error = group.ValidateMember(memberId, call.GroupInstanceId);
        if (error != ErrorCode.None)
        {
            waiter.TrySetResult(JoinGroupOutcome.Failed(error, memberId));
            return;
        }
        var member = group.Member(memberId)!;
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                UpdateMemberThenRebalanceOrCompleteJoin(group, member, call, waiter);
                break;
            case GroupState.CompletingRebalance when member.Matches(call.Protocols):
                // The member lost its JoinGroup response: answer again for the current generation.
                waiter.TrySetResult(CurrentGeneration(group, memberId, withMembers: group.IsLeader(memberId)));
                break;
            case GroupState.CompletingRebalance:
                UpdateMemberThenRebalanceOrCompleteJoin(group, member, call, waiter);
                break;
            case GroupState.Stable when group.IsLeader(memberId) || !member.Matches(call.Protocols):
                // A rejoining leader forces a rebalance (the consumer does so when topic metadata changes).
                UpdateMemberThenRebalanceOrCompleteJoin(group, member, call, waiter);
                break;
            case GroupState.Stable:
                waiter.TrySetResult(CurrentGeneration(group, memberId, withMembers: false));
                break;
            default:
                waiter.TrySetResult(JoinGroupOutcome.Failed(ErrorCode.UnknownMemberId, memberId));
                break;
        }
    }

    private static JoinGroupOutcome CurrentGeneration(ConsumerGroup group, string memberId, bool withMembers) =>
        new(ErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName, group.LeaderId ?? "", memberId,
            withMembers ? group.JoinedMembers() : []);

    private void AddMember(ConsumerGroup group, JoinGroupCall call, string memberId, TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        var member = new GroupMember(memberId, call.GroupInstanceId, call.ClientId, call.ClientHost,
            call.RebalanceTimeoutMs, call.SessionTimeoutMs, call.ProtocolType, call.Protocols)
        {
            IsNew = true,
            JoinWaiter = waiter,
        };
        if (group.State == GroupState.PreparingRebalance && group.PreviousState == GroupState.Empty)
        {
            group.NewMemberAdded = true;
        }
        group.PendingMembers.Remove(memberId);
        group.Add(member);
        // A parked JoinGroup of a new member cannot heartbeat; drop it if it never completes.
        ScheduleHeartbeatExpiry(group, memberId, Settings.NewMemberJoinTimeoutMs);
    }

    private void AddMemberThenRebalanceOrCompleteJoin(ConsumerGroup group, JoinGroupCall call, string memberId,
        TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        AddMember(group, call, memberId, waiter);
        MaybePrepareRebalanceOrCompleteJoin(group);
    }

    private void UpdateMemberThenRebalanceOrCompleteJoin(ConsumerGroup group, GroupMember member, JoinGroupCall call,
        TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        UpdateMember(group, member, call, waiter);
        MaybePrepareRebalanceOrCompleteJoin(group);
    }

    private static void UpdateMember(ConsumerGroup group, GroupMember member, JoinGroupCall call, TaskCompletionSource<JoinGroupOutcome> waiter)
    {
        group.UpdateProtocols(member, call.Protocols);
        member.RebalanceTimeoutMs = call.RebalanceTimeoutMs;
        member.SessionTimeoutMs = call.SessionTimeoutMs;
        member.ClientId = call.ClientId;
        member.ClientHost = call.ClientHost;
        // A second JoinGroup from the same member supersedes the first one.
        member.CompleteJoin(JoinGroupOutcome.Failed(ErrorCode.RebalanceInProgress, member.MemberId));
        member.JoinWaiter = waiter;
    }

    private void MaybePrepareRebalanceOrCompleteJoin(ConsumerGroup group)
    {
        if (group.CanRebalance)
        {
            PrepareRebalance(group);
        }
        else
        {
            MaybeCompleteJoinPhase(group);
        }
    }

    private void MaybeCompleteJoinPhase(ConsumerGroup group)
    {
        // During the initial rebalance the delay timer decides when the join phase ends.
        if (group.State == GroupState.PreparingRebalance && group.PreviousState != GroupState.Empty && group.HasAllMembersJoined)
        {
            CompleteJoin(group);
        }
    }

    private void PrepareRebalance(ConsumerGroup group)
    {
        if (group.State == GroupState.CompletingRebalance)
        {
            // Members waiting in SyncGroup must rejoin.
            foreach (var member in group.Members.Values)
            {
                member.Assignment = [];
            }
            PropagateAssignment(group, ErrorCode.RebalanceInProgress);
        }
        group.PendingSyncMembers.Clear();
        _timers.Cancel(SyncKey(group.GroupId));

        var isInitialRebalance = group.State == GroupState.Empty;
        group.TransitionTo(GroupState.PreparingRebalance);
        if (isInitialRebalance)
        {
            var delayMs = (int)Settings.InitialRebalanceDelay.TotalMilliseconds;
            var remainingMs = Math.Max(group.RebalanceTimeoutMs - delayMs, 0);
            ScheduleInitialRebalance(group.GroupId, delayMs, remainingMs);
            return;
        }
        if (group.HasAllMembersJoined)
        {
            CompleteJoin(group);
        }
        else
        {
            _timers.Schedule(JoinKey(group.GroupId), TimeSpan.FromMilliseconds(group.RebalanceTimeoutMs), () => CompleteJoin(group.GroupId));
        }
    }

    private void ScheduleInitialRebalance(string groupId, int delayMs, int remainingMs) =>
        _timers.Schedule(JoinKey(groupId), TimeSpan.FromMilliseconds(delayMs), () =>
        {
            if (Find(groupId) is not { } group)
            {
                return;
            }
            if (group.NewMemberAdded && remainingMs != 0)
            {
                // Someone joined during the delay: wait a little longer for the rest of the group.
                group.NewMemberAdded = false;
                var newDelayMs = Math.Min((int)Settings.InitialRebalanceDelay.TotalMilliseconds, remainingMs);
                ScheduleInitialRebalance(groupId, newDelayMs, Math.Max(remainingMs - delayMs, 0));
            }
            else
            {
                CompleteJoin(group);
            }
        });

    private void CompleteJoin(string groupId)
    {
        if (Find(groupId) is { } group)
        {
            CompleteJoin(group);
        }
    }

    private void CompleteJoin(ConsumerGroup group)
    {
        _timers.Cancel(JoinKey(group.GroupId));
        foreach (var failed in group.NotYetRejoinedMembers().Where(m => !m.IsStatic))
        {
            group.Remove(failed.MemberId);
            _timers.Cancel(HeartbeatKey(group.GroupId, failed.MemberId));
        }
        if (group.State == GroupState.Dead)
        {
            return;
        }
        if (!group.MaybeElectNewJoinedLeader() && group.Members.Count > 0)
        {
            // Only static members that have not rejoined are left: wait for them or their session timeouts.
            _timers.Schedule(JoinKey(group.GroupId), TimeSpan.FromMilliseconds(group.RebalanceTimeoutMs), () => CompleteJoin(group.GroupId));
            return;
        }
        group.InitNextGeneration();
        if (group.State == GroupState.Empty)
        {
            _cluster.Log($"group '{group.GroupId}' is empty at generation {group.GenerationId}");
            return;
        }
        _cluster.Log($"group '{group.GroupId}' generation {group.GenerationId}: {group.Members.Count} member(s), protocol {group.ProtocolName}, leader {group.LeaderId}");
        var everyone = group.JoinedMembers();
        foreach (var member in group.Members.Values)
        {
            member.CompleteJoin(new JoinGroupOutcome(ErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName,
                group.LeaderId ?? "", member.MemberId, group.IsLeader(member.MemberId) ? everyone : []));
            ScheduleHeartbeatExpiry(group, member.MemberId, member.SessionTimeoutMs);
            member.IsNew = false;
            group.PendingSyncMembers.Add(member.MemberId);
        }
        var generation = group.GenerationId;
        _timers.Schedule(SyncKey(group.GroupId), TimeSpan.FromMilliseconds(group.RebalanceTimeoutMs), () => ExpirePendingSync(group.GroupId, generation));
    }

    private void ExpirePendingSync(string groupId, int generation)
    {
        if (Find(groupId) is not { } group || group.GenerationId != generation)
        {
            return;
        }
        if (group.State is GroupState.CompletingRebalance or GroupState.Stable && group.PendingSyncMembers.Count > 0)
        {
            foreach (var memberId in group.PendingSyncMembers.ToList())
            {
                group.Remove(memberId);
                _timers.Cancel(HeartbeatKey(groupId, memberId));
            }
            PrepareRebalance(group);
        }
    }

    // ---------------------------------------------------------------- sessions

    private void ScheduleHeartbeatExpiry(ConsumerGroup group, string memberId, int timeoutMs)
    {
        var groupId = group.GroupId;
        _timers.Schedule(HeartbeatKey(groupId, memberId), TimeSpan.FromMilliseconds(timeoutMs), () => ExpireHeartbeat(groupId, memberId));
    }

    private void ExpireHeartbeat(string groupId, string memberId)
    {
        if (Find(groupId) is not { } group)
        {
            return;
        }
        if (group.PendingMembers.Contains(memberId))
        {
            group.Remove(memberId);
            if (group.State == GroupState.PreparingRebalance && group.HasAllMembersJoined)
            {
                CompleteJoin(group);
            }
            return;
        }
        if (group.Member(memberId) is { } member && !member.HasSatisfiedHeartbeat)
        {
            _cluster.Log($"group '{groupId}': member {memberId} session expired");
            RemoveMemberAndUpdateGroup(group, member);
        }
    }

    private void RemoveMemberAndUpdateGroup(ConsumerGroup group, GroupMember member)
    {
        // A member removed while its JoinGroup is parked hears UNKNOWN_MEMBER_ID and may rejoin afresh.
        member.CompleteJoin(JoinGroupOutcome.Failed(ErrorCode.UnknownMemberId, ""));
        group.Remove(member.MemberId);
        if (group.State is GroupState.Stable or GroupState.CompletingRebalance)
        {
            MaybePrepareRebalanceOrCompleteJoin(group);
        }
        else if (group.State == GroupState.PreparingRebalance && group.HasAllMembersJoined)
        {
            CompleteJoin(group);
        }
    }

    // ---------------------------------------------------------------- SyncGroup

    public Task<SyncGroupOutcome> SyncAsync(SyncGroupCall call)
    {
        lock (Sync)
        {
            if (call.GroupId.Length == 0)
            {
                return Task.FromResult(SyncGroupOutcome.Failed(ErrorCode.InvalidGroupId));
            }
            if (Find(call.GroupId) is not { } group)
            {
                return Task.FromResult(SyncGroupOutcome.Failed(ErrorCode.UnknownMemberId));
            }
            var error = group.ValidateMember(call.MemberId, call.GroupInstanceId);
            if (error == ErrorCode.None && call.GenerationId != group.GenerationId)
            {
                error = ErrorCode.IllegalGeneration;
            }
            if (error == ErrorCode.None && (IsInconsistent(call.ProtocolType, group.ProtocolType) || IsInconsistent(call.ProtocolName, group.ProtocolName)))
            {
                error = ErrorCode.InconsistentGroupProtocol;
            }
            if (error != ErrorCode.None)
            {
                return Task.FromResult(SyncGroupOutcome.Failed(error));
            }
            var member = group.Member(call.MemberId)!;
            switch (group.State)
            {
                case GroupState.PreparingRebalance:
                    return Task.FromResult(SyncGroupOutcome.Failed(ErrorCode.RebalanceInProgress));
                case GroupState.CompletingRebalance:
                    {
                        var waiter = new TaskCompletionSource<SyncGroupOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                        member.CompleteSync(SyncGroupOutcome.Failed(ErrorCode.RebalanceInProgress));
                        member.SyncWaiter = waiter;
                        RemovePendingSyncMember(group, call.MemberId);
                        if (group.IsLeader(call.MemberId))
                        {
                            var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                            foreach (var (memberId, assignment) in call.Assignments)
                            {
                                assignments[memberId] = assignment;
                            }
                            foreach (var m in group.Members.Values)
                            {
                                m.Assignment = assignments.GetValueOrDefault(m.MemberId) ?? [];
                            }
                            PropagateAssignment(group, ErrorCode.None);
                            group.TransitionTo(GroupState.Stable);
                        }
                        return waiter.Task;
                    }
                case GroupState.Stable:
                    RemovePendingSyncMember(group, call.MemberId);
                    return Task.FromResult(new SyncGroupOutcome(ErrorCode.None, group.ProtocolType, group.ProtocolName, member.Assignment));
                default:
                    return Task.FromResult(SyncGroupOutcome.Failed(ErrorCode.UnknownMemberId));
            }
        }
    }

    private static bool IsInconsistent(string? requested, string? actual) => requested is not null && requested != actual;

    private void RemovePendingSyncMember(ConsumerGroup group, string memberId)
    {
        group.PendingSyncMembers.Remove(memberId);
        if (group.PendingSyncMembers.Count == 0)
        {
            _timers.Cancel(SyncKey(group.GroupId));
        }
    }

    private void PropagateAssignment(ConsumerGroup group, ErrorCode error)
    {
        foreach (var member in group.Members.Values)
        {
            var outcome = error == ErrorCode.None
                ? new SyncGroupOutcome(ErrorCode.None, group.ProtocolType, group.ProtocolName, member.Assignment)
                : new SyncGroupOutcome(error, null, null, member.Assignment);
            if (member.CompleteSync(outcome))
            {
                ScheduleHeartbeatExpiry(group, member.MemberId, member.SessionTimeoutMs);
            }
        }
    }

    // ---------------------------------------------------------------- Heartbeat

    public ErrorCode Heartbeat(string groupId, int generationId, string memberId, string? groupInstanceId)
    {
        lock (Sync)
        {
            if (groupId.Length == 0)
            {
                return ErrorCode.InvalidGroupId;
            }
            if (Find(groupId) is not { } group)
            {
                return ErrorCode.UnknownMemberId;
            }
            var error = group.ValidateMember(memberId, groupInstanceId);
            if (error != ErrorCode.None)
            {
                return error;
            }
            if (generationId != group.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }
            switch (group.State)
            {
                case GroupState.PreparingRebalance:
                    ScheduleHeartbeatExpiry(group, memberId, group.Member(memberId)!.SessionTimeoutMs);
                    return ErrorCode.RebalanceInProgress;
                case GroupState.CompletingRebalance or GroupState.Stable:
                    ScheduleHeartbeatExpiry(group, memberId, group.Member(memberId)!.SessionTimeoutMs);
                    return ErrorCode.None;
                default:
                    return ErrorCode.UnknownMemberId;
            }
        }
    }

    // ---------------------------------------------------------------- LeaveGroup

    /// <summary>Removes members; returns the group-level error and each member's outcome.</summary>
    public (ErrorCode Error, IReadOnlyList<LeavingMember> Members) Leave(string groupId, IReadOnlyList<LeavingMember> leaving)
    {
        lock (Sync)
        {
            if (groupId.Length == 0)
            {
                return (ErrorCode.InvalidGroupId, []);
            }
            if (Find(groupId) is not { } group)
            {
                return (ErrorCode.UnknownMemberId, []);
            }
            var results = new List<LeavingMember>(leaving.Count);
            foreach (var request in leaving)
            {
                if (request.MemberId.Length == 0)
                {
                    // Administrative removal by group.instance.id (kafka-consumer-groups --delete of static members).
                    if (request.GroupInstanceId is not null && group.StaticMembers.TryGetValue(request.GroupInstanceId, out var staticId))
                    {
                        RemoveCurrentMember(group, staticId);
                        results.Add(request with { ErrorCode = ErrorCode.None });
                    }
                    else
                    {
                        results.Add(request with { ErrorCode = ErrorCode.UnknownMemberId });
                    }
                }
                else if (group.PendingMembers.Contains(request.MemberId))
                {
                    group.Remove(request.MemberId);
                    _timers.Cancel(HeartbeatKey(groupId, request.MemberId));
                    results.Add(request with { ErrorCode = ErrorCode.None });
                }
                else
                {
                    var error = group.ValidateMember(request.MemberId, request.GroupInstanceId);
                    if (error == ErrorCode.None)
                    {
                        RemoveCurrentMember(group, request.MemberId);
                    }
                    results.Add(request with { ErrorCode = error });
                }
            }
            if (results.Any(r => r.ErrorCode == ErrorCode.None))
            {
                _cluster.Log($"group '{groupId}': {string.Join(", ", results.Where(r => r.ErrorCode == ErrorCode.None).Select(r => r.MemberId))} left");
                switch (group.State)
                {
                    case GroupState.Stable or GroupState.CompletingRebalance:
                        MaybePrepareRebalanceOrCompleteJoin(group);
                        break;
                    case GroupState.PreparingRebalance:
                        MaybeCompleteJoinPhase(group);
                        break;
                }
            }
            return (ErrorCode.None, results);
        }
    }

    private void RemoveCurrentMember(ConsumerGroup group, string memberId)
    {
        _timers.Cancel(HeartbeatKey(group.GroupId, memberId));
        group.Member(memberId)?.CompleteJoin(JoinGroupOutcome.Failed(ErrorCode.UnknownMemberId, ""));
        group.Remove(memberId);
    }

    // ---------------------------------------------------------------- offsets

    /// <summary>
    /// Kafka's validateOffsetCommit. Generation -1 with no member id is an admin (or simple consumer) commit:
    /// accepted while the group has no members, and it creates an unknown group in state Empty.
    /// Caller holds <see cref="ClusterState.Sync"/>.
    /// </summary>
    private ErrorCode ValidateCommit(string groupId, int generationId, string memberId, string? groupInstanceId, short version, out ConsumerGroup? group)
    {
        group = Find(groupId);
        if (group is null)
        {
            if (generationId < 0)
            {
                _cluster.Log($"creating simple group '{groupId}' from an offset commit");
                group = new ConsumerGroup(groupId);
                _groups[groupId] = group;
                return ErrorCode.None;
            }
            // OffsetCommit v9 says GROUP_ID_NOT_FOUND; older versions keep ILLEGAL_GENERATION.
            return version >= 9 ? ErrorCode.GroupIdNotFound : ErrorCode.IllegalGeneration;
        }
        if (group.Modern is { } modern)
        {
            return ValidateModernCommit(modern, generationId, memberId, version);
        }
        if (generationId < 0 && group.State == GroupState.Empty)
        {
            return ErrorCode.None;
        }
        if (generationId >= 0 || memberId.Length > 0 || groupInstanceId is not null)
        {
            var error = group.ValidateMember(memberId, groupInstanceId);
            if (error != ErrorCode.None)
            {
                return error;
            }
            if (generationId != group.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }
        }
        else if (group.State != GroupState.Empty)
        {
            return ErrorCode.UnknownMemberId;
        }
        return group.State == GroupState.CompletingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    /// <summary>
    /// Commits offsets. Returns one error per partition, in order: the group-level error for all of them, or
    /// UNKNOWN_TOPIC_OR_PARTITION / OFFSET_METADATA_TOO_LARGE for single partitions. No range check at all.
    /// </summary>
    public ErrorCode[] CommitOffsets(string groupId, int generationId, string memberId, string? groupInstanceId, short version,
        IReadOnlyList<PartitionCommit> partitions)
    {
        lock (Sync)
        {
            var errors = new ErrorCode[partitions.Count];
            if (groupId.Length == 0)
            {
                Array.Fill(errors, ErrorCode.InvalidGroupId);
                return errors;
            }
            var anyKnown = false;
            for (var i = 0; i < partitions.Count; i++)
            {
                if (_cluster.FindPartition(partitions[i].Topic, partitions[i].Partition) is null)
                {
                    errors[i] = ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    anyKnown = true;
                }
            }
            if (!anyKnown)
            {
                // Like Kafka's KafkaApis: nothing valid reaches the coordinator, so no group is created.
                return errors;
            }
            var groupError = ValidateCommit(groupId, generationId, memberId, groupInstanceId, version, out var group);
            if (groupError == ErrorCode.None && group is not null
                && group.State is GroupState.Stable or GroupState.PreparingRebalance && group.Member(memberId) is { } member)
            {
                // A commit keeps a classic member's session alive, as a heartbeat would.
                ScheduleHeartbeatExpiry(group, memberId, member.SessionTimeoutMs);
            }
            var now = _cluster.NowMs;
            for (var i = 0; i < partitions.Count; i++)
            {
                if (errors[i] != ErrorCode.None)
                {
                    continue;
                }
                if (groupError != ErrorCode.None)
                {
                    errors[i] = groupError;
                    continue;
                }
                var p = partitions[i];
                if (p.Metadata is not null && System.Text.Encoding.UTF8.GetByteCount(p.Metadata) > Settings.MaxOffsetMetadataBytes)
                {
                    errors[i] = ErrorCode.OffsetMetadataTooLarge;
                    continue;
                }
                group!.Commit(p.Topic, p.Partition, new CommittedOffset(p.Offset, p.LeaderEpoch, p.Metadata, p.CommitTimestampMs >= 0 ? p.CommitTimestampMs : now));
            }
            return errors;
        }
    }

    /// <summary>
    /// OffsetDelete. Returns the group-level error, or per partition: GROUP_SUBSCRIBED_TO_TOPIC for topics the live
    /// members consume, UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist, else NONE (deleted if present).
    /// </summary>
    public (ErrorCode Error, ErrorCode[] Partitions) DeleteOffsets(string groupId, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        lock (Sync)
        {
            var errors = new ErrorCode[partitions.Count];
            if (groupId.Length == 0)
            {
                return (ErrorCode.InvalidGroupId, errors);
            }
            if (Find(groupId) is not { } group)
            {
                return (ErrorCode.GroupIdNotFound, errors);
            }
            if (!group.HasNoMembers && group.Modern is null && !group.UsesConsumerProtocol)
            {
                return (ErrorCode.NonEmptyGroup, errors);
            }
            for (var i = 0; i < partitions.Count; i++)
            {
                var (topic, partition) = partitions[i];
                if (_cluster.FindPartition(topic, partition) is null)
                {
                    errors[i] = ErrorCode.UnknownTopicOrPartition;
                }
                else if (!group.HasNoMembers && IsSubscribedToTopic(group, topic))
                {
                    errors[i] = ErrorCode.GroupSubscribedToTopic;
                }
                else
                {
                    group.DeleteOffset(topic, partition);
                }
            }
            return (ErrorCode.None, errors);
        }
    }

    /// <summary>DeleteGroups for one group: NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND when unknown.</summary>
    public ErrorCode DeleteGroup(string groupId)
    {
        lock (Sync)
        {
            if (Find(groupId) is not { } group)
            {
                return ErrorCode.GroupIdNotFound;
            }
            if (!group.HasNoMembers)
            {
                return ErrorCode.NonEmptyGroup;
            }
            foreach (var pending in group.PendingMembers)
            {
                _timers.Cancel(HeartbeatKey(groupId, pending));
            }
            _timers.Cancel(JoinKey(groupId));
            _timers.Cancel(SyncKey(groupId));
            group.TransitionTo(GroupState.Dead);
            _groups.Remove(groupId);
            _cluster.Log($"deleted group '{groupId}'");
            return ErrorCode.None;
        }
    }

    /// <summary>
    /// Puts back a group's committed offsets from a data directory: the group comes back Empty, with no
    /// members, as after every consumer left. Caller holds the cluster lock.
    /// </summary>
    public void RestoreOffsets(string groupId, string? protocolType, IEnumerable<PartitionCommit> offsets)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            group = new ConsumerGroup(groupId);
            _groups[groupId] = group;
        }
        // Kafka reloads a group's protocol type from its metadata record: a former consumer group lists as "consumer".
        group.RestoreProtocolType(protocolType);
        foreach (var p in offsets)
        {
            group.Commit(p.Topic, p.Partition, new CommittedOffset(p.Offset, p.LeaderEpoch, p.Metadata, p.CommitTimestampMs));
        }
    }

    public void Dispose() => _timers.Dispose();
}
