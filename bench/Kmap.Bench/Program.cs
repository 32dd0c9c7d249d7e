using Kmap.Bench;

// One entry for every benchmark: `bench/run.sh [name]`. Each prints a table and the targets it checks.
var which = args.Length > 0 ? args[0] : "sandbox";
return which switch
{
    "sandbox" => await SandboxBenchmark.RunAsync(),
    "startup" => await StartupBenchmark.RunAsync(args.Length > 1 ? args[1] : Directory.GetCurrentDirectory()),
    _ => Usage(which),
};

static int Usage(string which)
{
    Console.Error.WriteLine($"unknown benchmark '{which}'; known: sandbox, startup");
    return 2;
}
