using Kmap.Core.Backup;
using Kmap.Core.Scripts;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Backup;

/// <summary>Every jq query of the guide, run with jq on a file kmap wrote, gives the guide's answer.</summary>
public class GuideJqQueryTests
{
    private static async Task<string> Jq(string file, params string[] args)
    {
        var result = await ProcessRunner.RunAsync("jq", [.. args, file]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    [Fact]
    public async Task Check_what_was_captured()
    {
        using var dir = new TempDirectory();
        var file = dir.File("consumer-offsets.json");
        await File.WriteAllTextAsync(file, Samples.GuideBackupJson(), TestContext.Current.CancellationToken);

        var output = await Jq(file, "-c", ".consumer_groups[] | {group: .group, topics: .topics | keys}");

        Assert.Equal("{\"group\":\"my-consumer-group\",\"topics\":[\"orders\",\"payments\"]}\n", output);
    }

    [Fact]
    public async Task See_backup_metadata()
    {
        using var dir = new TempDirectory();
        var file = dir.File("consumer-offsets.json");
        await File.WriteAllTextAsync(file, Samples.GuideBackupJson(), TestContext.Current.CancellationToken);

        var output = await Jq(file, "-c", "{timestamp, cluster, total_groups: (.consumer_groups | length)}");

        Assert.Equal("{\"timestamp\":\"2026-01-20T15:30:04Z\",\"cluster\":\"localhost:9092\",\"total_groups\":1}\n", output);
    }

    [Fact]
    public async Task Verify_offset_positions_match_backup()
    {
        using var dir = new TempDirectory();
        var file = dir.File("consumer-offsets.json");
        await File.WriteAllTextAsync(file, Samples.GuideBackupJson(), TestContext.Current.CancellationToken);

        var output = await Jq(file, "-r", """
            .consumer_groups[] | select(.group == "my-consumer-group") | 
               .topics | to_entries[] | 
               "\(.key):\t\(.value | map("\(.partition)=\(.offset)") | join(" "))"
            """);

        Assert.Equal("orders:\t0=12345 1=67890\npayments:\t0=98765\n", output);
    }

    [Fact]
    public async Task Save_only_a_specific_group_gives_a_file_kmap_still_reads_and_scripts()
    {
        using var dir = new TempDirectory();
        var file = dir.File("consumer-offsets.json");
        var backup = Samples.GuideBackup();
        backup = backup with { ConsumerGroups = [.. backup.ConsumerGroups, backup.ConsumerGroups[0] with { Group = "my-group" }] };
        await File.WriteAllTextAsync(file, OffsetBackupJson.Serialize(backup), TestContext.Current.CancellationToken);

        var filtered = await Jq(file, ".consumer_groups |= map(select(.group == \"my-group\"))");
        var read = OffsetBackupJson.Deserialize(filtered);

        Assert.Equal(["my-group"], read.ConsumerGroups.Select(g => g.Group));
        Assert.Equal(3, read.ConsumerGroups[0].Offsets.Count);
        Assert.Contains("offset\torders\t1\t67890", RestoreScriptWriter.Write(read, new RestoreScriptOptions()), StringComparison.Ordinal);
    }
}
