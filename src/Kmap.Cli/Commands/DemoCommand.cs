using System.CommandLine;
using Kmap.Sandbox;

namespace Kmap.Cli.Commands;

/// <summary>`kmap demo`: the main job on an embedded sandbox, so a newcomer sees kmap work with nothing installed.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", """
            Start an embedded sandbox cluster, fill it, and show what kmap sees.

            Example:
              kmap demo
            """);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: cancellationToken);
            await Console.Out.WriteLineAsync($"sandbox cluster with 3 brokers at {cluster.BootstrapServers}");
            return ExitCodes.Success;
        });
        return command;
    }
}
