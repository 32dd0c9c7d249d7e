using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Groups;

/// <summary>Consumer groups and their committed offsets, for every coordinator broker of the cluster.</summary>
public sealed class GroupCoordinator
{
    private readonly ClusterState _cluster;

    public GroupCoordinator(ClusterState cluster) => _cluster = cluster;

    public ClusterState Cluster => _cluster;
}
