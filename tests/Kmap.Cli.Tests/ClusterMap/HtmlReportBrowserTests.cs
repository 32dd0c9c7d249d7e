using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using Microsoft.Playwright;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>The HTML report in a real browser: loads cleanly, filters, stays usable at 2,000 topics, escapes hostile names.</summary>
public class HtmlReportBrowserTests(ITestOutputHelper output)
{
    private const string HostileGroup = "</script><img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task CreateTopicsAsync(string bootstrap, IEnumerable<TopicSpecification> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        foreach (var batch in topics.Chunk(500))
        {
            await admin.CreateTopicsAsync(batch, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
        }
    }

    private static async Task<string> MapToHtmlAsync(string bootstrap, string directory, params string[] more)
    {
        var path = Path.Combine(directory, "report.html");
        var run = await CliRun.RunAsync(["-brokers", bootstrap, "-html", path, .. more]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return path;
    }

    /// <summary>Opens the report, failing on any console error, page error or request that leaves the file.</summary>
    private static async Task<(IPage Page, List<string> Problems)> OpenAsync(IBrowser browser, string path)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file://", StringComparison.Ordinal))
            {
                problems.Add($"request: {request.Url}");
            }
        };
        await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return (page, problems);
    }

    [Fact]
    public async Task Loads_without_errors_filters_topics_and_never_runs_a_hostile_name()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        await CreateTopicsAsync(bootstrap,
        [
            new TopicSpecification { Name = "orders", NumPartitions = 6, ReplicationFactor = 3, Configs = new() { ["retention.ms"] = "86400000" } },
            new TopicSpecification { Name = "orders.dlq", NumPartitions = 1, ReplicationFactor = 2 },
            new TopicSpecification { Name = "payments", NumPartitions = 3, ReplicationFactor = 2 },
            new TopicSpecification { Name = "audit", NumPartitions = 2, ReplicationFactor = 1 },
        ]);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                await producer.ProduceAsync(new TopicPartition("orders", i % 6), new Message<Null, string> { Value = $"order {i}" }, Ct);
            }
        }
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(HostileGroup, [new TopicPartitionOffset("orders", 0, 1)])]);
            await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("billing", [new TopicPartitionOffset("payments", 0, 0)])]);
        }
        using var dir = new TempDirectory();
        // The lag of the hostile group grows between a previous map and this one: its name lands in a warning.
        var before = await CliRun.RunAsync("-brokers", bootstrap, "-output", dir.File("before.json"), "-lag-sample-interval", "0");
        Assert.True(before.ExitCode == 0, before.ToString());
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync(new TopicPartition("orders", 0), new Message<Null, string> { Value = $"late order {i}" }, Ct);
            }
        }
        var path = await MapToHtmlAsync(bootstrap, dir.Path, "-previous", dir.File("before.json"));
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        var (page, problems) = await OpenAsync(browser, path);
        var allRows = await page.Locator("#topics tbody tr:visible").CountAsync();
        await page.FillAsync("#topic-filter", "orders");
        var filtered = await page.Locator("#topics tbody tr:visible").AllInnerTextsAsync();
        var count = await page.InnerTextAsync("#topic-count");
        var shot = Path.Combine(AppContext.BaseDirectory, "cluster-report.png");
        await page.FillAsync("#topic-filter", "");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });

        Assert.Empty(problems);
        Assert.Equal(4, allRows);
        Assert.Equal(2, filtered.Count);
        Assert.All(filtered, row => Assert.StartsWith("orders", row, StringComparison.Ordinal));
        Assert.Equal("2 of 4 topics", count);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "a group name ran as script");
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Equal(1, await page.Locator("#groups td", new PageLocatorOptions { HasTextString = HostileGroup }).CountAsync());
        var warnings = await page.InnerTextAsync("#warnings");
        Assert.Contains("Group " + HostileGroup + ": lag growing: 4 -> 9 in ", warnings, StringComparison.Ordinal);
        Assert.DoesNotContain("billing", warnings, StringComparison.Ordinal);
        var flagged = await page.Locator("#groups tbody tr.bad").AllInnerTextsAsync();
        Assert.Contains(HostileGroup, Assert.Single(flagged), StringComparison.Ordinal);
        Assert.True(new FileInfo(shot).Length > 10_000, "the screenshot is empty");
    }

    [Fact]
    public async Task Two_thousand_topics_stay_usable()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        await CreateTopicsAsync(bootstrap, Enumerable.Range(0, 2000).Select(i => new TopicSpecification
        {
            Name = $"team{i % 20}.topic-{i:D4}",
            NumPartitions = 3,
            ReplicationFactor = 2,
        }));
        using var dir = new TempDirectory();
        var mapping = Stopwatch.StartNew();
        var path = await MapToHtmlAsync(bootstrap, dir.Path);
        mapping.Stop();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        var loading = Stopwatch.StartNew();
        var (page, problems) = await OpenAsync(browser, path);
        var rows = await page.Locator("#topics tbody tr").CountAsync();
        loading.Stop();
        var filtering = Stopwatch.StartNew();
        await page.FillAsync("#topic-filter", "topic-1999");
        var visible = await page.Locator("#topics tbody tr:visible").AllInnerTextsAsync();
        filtering.Stop();
        var sorting = Stopwatch.StartNew();
        await page.ClickAsync("#topics th:first-child");
        await page.ClickAsync("#topics th:first-child");
        sorting.Stop();
        output.WriteLine($"2,000 topics / 6,000 partitions: mapping {mapping.ElapsedMilliseconds} ms, HTML {new FileInfo(path).Length / 1024} KiB, " +
            $"load {loading.ElapsedMilliseconds} ms, filter {filtering.ElapsedMilliseconds} ms, sort twice {sorting.ElapsedMilliseconds} ms");

        Assert.Empty(problems);
        Assert.Equal(2000, rows);
        Assert.Equal(["team19.topic-1999"], visible.Select(v => v.Split('\t')[0]));
        Assert.Equal("1 of 2000 topics", await page.InnerTextAsync("#topic-count"));
        // Usable: generous bounds for a loaded 2-core machine, far below what a person would call broken.
        Assert.True(loading.Elapsed < TimeSpan.FromSeconds(10), $"loading took {loading.Elapsed}");
        Assert.True(filtering.Elapsed < TimeSpan.FromSeconds(3), $"filtering took {filtering.Elapsed}");
        Assert.True(sorting.Elapsed < TimeSpan.FromSeconds(3), $"sorting took {sorting.Elapsed}");
    }
}
