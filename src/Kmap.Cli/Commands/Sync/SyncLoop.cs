using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Sync;
using Kmap.Kafka;

namespace Kmap.Cli.Commands.Sync;

/// <summary>
/// The rounds of `kmap sync`: one after another with the interval between them; a failed round (a cluster away) is
/// logged and retried with a doubling pause up to <see cref="SyncCommand.MaxBackoff"/>. Clients are made per round:
/// a round keeps nothing of the previous one but the state, so memory stays flat over weeks.
/// </summary>
internal sealed class SyncLoop(CliContext context, ConnectionSettings sourceSettings, ConnectionSettings targetSettings, SyncOptions options,
    SyncState state, string? statePath, SyncMetrics? metrics, Action<string> say)
{
    public async Task<int> RunAsync(bool once, TimeSpan interval, CancellationToken token)
    {
        var notices = new SyncNotices(say);
        var round = new OffsetSyncRound(state, notices, context.Time);
        var failures = 0;
        for (var number = 1; ; number++)
        {
            var started = context.Time.GetTimestamp();
            SyncRoundResult result;
            try
            {
                using var sourceAdmin = new KafkaAdmin(sourceSettings, log: m => say($"source: {m}"));
                using var targetAdmin = new KafkaAdmin(targetSettings, log: m => say($"target: {m}"));
                var clients = new SyncClients(sourceAdmin, new KafkaRecordReader(sourceSettings), targetAdmin, targetAdmin, new KafkaRecordReader(targetSettings));
                result = await round.RunAsync(clients, options, Persist, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Reading or planning: nothing was being written.
                say($"round {number} interrupted before any write: stopped");
                return once ? ExitCodes.Interrupted : ExitCodes.Success;
            }
            catch (ClusterException e)
            {
                failures++;
                metrics?.RoundFailed(context.Time.GetElapsedTime(started));
                var backoff = Backoff(failures, interval);
                say($"round {number} failed: {e.Message}" + (once ? "" : $"; next attempt in {backoff.TotalSeconds:0.#} s"));
                if (once)
                {
                    return ExitCodes.Failure;
                }
                if (!await PauseAsync(backoff, token))
                {
                    return ExitCodes.Success;
                }
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The state file cannot be written: going on would forget handed-over groups on the next restart.
                say($"cannot write the state file {statePath}: {e.Message}; stopped (the target keeps what was written)");
                return ExitCodes.Failure;
            }
            var took = context.Time.GetElapsedTime(started);
            if (failures > 0)
            {
                say($"round {number}: both clusters answer again after {failures} failed round(s)");
                failures = 0;
            }
            say(SyncRoundLine.Format(number, result, took));
            metrics?.RoundDone(result, took, context.Time.GetUtcNow());
            if (once)
            {
                return OnceExit(result);
            }
            if (result.Interrupted || !await PauseAsync(interval, token))
            {
                say($"stopped after {number} round(s)");
                return ExitCodes.Success;
            }
        }
    }

    private void Persist()
    {
        if (statePath is not null)
        {
            SyncStateFile.Save(statePath, state);
        }
    }

    /// <summary>1 s, 2 s, 4 s… after consecutive failures, never more than the cap (nor less than a short interval).</summary>
    internal static TimeSpan Backoff(int failures, TimeSpan interval)
    {
        var doubling = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromTicks(Math.Min(Math.Min(doubling.Ticks, SyncCommand.MaxBackoff.Ticks), Math.Max(interval.Ticks, TimeSpan.FromSeconds(1).Ticks)));
    }

    private async Task<bool> PauseAsync(TimeSpan pause, CancellationToken token)
    {
        try
        {
            await Task.Delay(pause, context.Time, token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private int OnceExit(SyncRoundResult result)
    {
        if (result.Interrupted)
        {
            return ExitCodes.Interrupted;
        }
        if (result.Groups == 0 && result.HandedOverTotal == 0)
        {
            say("no group on the source matches --include-groups/--exclude-groups/--topics: nothing to sync");
            return ExitCodes.Failure;
        }
        var partial = result.GroupsNotSynced + result.ReadFailures + (result.Skipped.GetValueOrDefault(SkipReason.Untranslatable) > 0 ? 1 : 0);
        return partial == 0 ? ExitCodes.Success : result.GroupsNotSynced >= result.Groups && result.Groups > 0 ? ExitCodes.Failure : ExitCodes.Partial;
    }
}
