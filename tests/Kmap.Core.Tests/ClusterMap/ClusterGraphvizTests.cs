using Kmap.Core.ClusterMap;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.ClusterMap;

public class ClusterGraphvizTests
{
    private static async Task<ProcessRunner.Result> RenderWithDotAsync(string dot)
    {
        using var dir = new TempDirectory();
        var file = dir.File("cluster.dot");
        await File.WriteAllTextAsync(file, dot, TestContext.Current.CancellationToken);
        return await ProcessRunner.RunAsync("dot", ["-Tsvg", file]);
    }

    [Fact]
    public async Task Dot_renders_it_and_hostile_names_stay_inside_their_labels()
    {
        var map = SampleMaps.Small();
        map = map with { ConsumerGroups = [.. map.ConsumerGroups, map.ConsumerGroups[1] with { Group = "a\" -> b1 [color=red]; //\\" }] };

        var dot = ClusterGraphviz.Render(map);
        var svg = await RenderWithDotAsync(dot);

        Assert.True(svg.ExitCode == 0, svg.ToString());
        Assert.Empty(svg.Stderr);
        Assert.Contains("label=\"a\\\" -> b1 [color=red]; //\\\\\\n", dot, StringComparison.Ordinal);
        // Exactly the edges kmap draws: 2 leader edges to orders, none to the offline topic, 1 to __consumer_offsets, 3 group edges.
        Assert.Equal(6, svg.Stdout.Split("class=\"edge\"").Length - 1);
        Assert.Contains("&lt;/script&gt;&lt;img", svg.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_clusters_switch_to_a_summary_by_name_prefix()
    {
        var map = SampleMaps.Large(topics: 2000, groups: 500);

        var dot = ClusterGraphviz.Render(map);
        var svg = await RenderWithDotAsync(dot);

        Assert.True(svg.ExitCode == 0, svg.ToString());
        Assert.Contains("summary: 2000 topics and 500 groups", dot, StringComparison.Ordinal);
        // 7 topic prefixes (team0. .. team6.) and 5 group prefixes, not thousands of nodes.
        Assert.Equal(7, dot.Split("shape=folder").Length - 1);
        Assert.Equal(5, dot.Split("shape=ellipse").Length - 1);
        Assert.True(dot.Length < 20_000, $"summary is {dot.Length} characters");
    }
}
