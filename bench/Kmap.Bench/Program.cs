using Kmap.Bench;

// One entry for every benchmark: `bench/run.sh [name] [--quick]`. Each prints a table and the targets it checks.
var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var rest = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
return which switch
{
    "sandbox" => await SandboxBenchmark.RunAsync(),
    "backup" => await BackupBenchmark.RunAsync(rest),
    "restore" => await RestoreOnlyAsync(rest),
    "map" => await MapBenchmark.RunAsync(rest),
    "sweep" => await SweepBenchmark.RunAsync(),
    "sync" => await SyncBenchmark.RunAsync(rest),
    "probe" => await BackupProbe.RunAsync(args.Skip(1).ToList()),
    "all" => Math.Max(await BackupBenchmark.RunAsync(rest), await SandboxBenchmark.RunAsync()),
    "startup" => await StartupBenchmark.RunAsync(args.Length > 1 ? args[1] : Directory.GetCurrentDirectory()),
    _ => Usage(which),
};

static int Usage(string which)
{
    Console.Error.WriteLine($"unknown benchmark '{which}'; known: all, backup, restore, map, sweep, sync, sandbox, startup, probe");
    return 2;
}

static async Task<int> RestoreOnlyAsync(IReadOnlyList<string> args)
{
    var (exit, rows) = await RestoreBenchmark.RunAsync(args);
    Table.Print(["client", "groups", "partitions", "latency", "wall", "round trips", "peak RSS", "kmap/this", "target"], rows);
    return exit;
}
