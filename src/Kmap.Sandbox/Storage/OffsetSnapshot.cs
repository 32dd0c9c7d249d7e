using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Storage;

/// <summary>Committed offsets of every group in <c>offsets.json</c>. Filled in once the group coordinator lands.</summary>
internal static class OffsetSnapshot
{
    public static void Save(ClusterState cluster, string directory)
    {
        _ = cluster;
        _ = directory;
    }

    public static void Load(ClusterState cluster, string directory)
    {
        _ = cluster;
        _ = directory;
    }
}
