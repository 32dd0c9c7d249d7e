using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Storage;

/// <summary>
/// Keeps a sandbox's state in <see cref="SandboxOptions.DataDirectory"/>: loaded at start, saved once a
/// second while something changed, and at a clean stop. A crash loses at most the last second.
/// </summary>
internal sealed class DataDirectory : IAsyncDisposable
{
    private readonly ClusterState _cluster;
    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _saver;
    private readonly Dictionary<string, LogSnapshot.LogSignature> _writtenLogs = new(StringComparer.Ordinal);
    private long _savedVersion = -1;

    private DataDirectory(ClusterState cluster, string directory)
    {
        _cluster = cluster;
        _directory = directory;
        _saver = SaveLoopAsync(_stop.Token);
    }

    public static DataDirectory Open(ClusterState cluster, string directory)
    {
        Directory.CreateDirectory(directory);
        lock (cluster.Sync)
        {
            // A restarted cluster keeps its identity, unless the options name one.
            var idFile = Path.Combine(directory, "cluster.id");
            if (cluster.Options.ClusterId is null && File.Exists(idFile))
            {
                cluster.ClusterId = File.ReadAllText(idFile).Trim();
            }
            else
            {
                AtomicFile.Write(idFile, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(cluster.ClusterId + "\n")));
            }
            LogSnapshot.Load(cluster, directory);
            OffsetSnapshot.Load(cluster, directory);
            cluster.Log($"data directory {directory}: loaded {cluster.Topics.Count} topic(s)");
        }
        return new DataDirectory(cluster, directory) { _savedVersion = cluster.ChangeVersion };
    }

    private async Task SaveLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _cluster.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                SaveIfChanged();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void SaveIfChanged()
    {
        lock (_cluster.Sync)
        {
            var version = _cluster.ChangeVersion;
            if (version == _savedVersion)
            {
                return;
            }
            try
            {
                LogSnapshot.Save(_cluster, _directory, _writtenLogs);
                OffsetSnapshot.Save(_cluster, _directory);
                _savedVersion = version;
            }
            catch (IOException e)
            {
                _cluster.Log($"data directory {_directory}: could not save, will retry: {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _saver;
        SaveIfChanged();
        _stop.Dispose();
    }
}
