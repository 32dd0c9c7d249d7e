using Kmap.Core.ClusterMap;

namespace Kmap.Core.Tests.ClusterMap;

public class TopicSizeReportTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.0 GiB")]
    [InlineData(long.MaxValue, "8.0 EiB")]
    public void Human_units(long bytes, string expected)
    {
        Assert.Equal(expected, HumanBytes.Format(bytes));
    }

    /// <summary>The Go tool's formatBytes, which scripts and dashboards reading total_size_human compare against.</summary>
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(875, "875 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.00 KiB")]
    [InlineData(1152, "1.12 KiB")] // 1.125: Go's %.2f rounds an exact half to even
    [InlineData(1408, "1.38 KiB")] // 1.375
    [InlineData(1536L * 1024 * 1024, "1.50 GiB")]
    [InlineData(490_463_289_344, "456.78 GiB")] // the Go tool's README example
    [InlineData(1024L * 1024 * 1024 * 1024 - 1, "1024.00 GiB")]
    [InlineData(long.MaxValue, "8.00 EiB")]
    public void Go_human_units(long bytes, string expected)
    {
        Assert.Equal(expected, HumanBytes.FormatGo(bytes));
    }

    [Fact]
    public void Largest_first_with_human_units_bytes_and_a_total()
    {
        var sizes = TopicSize.LargestFirst([new TopicSize("small", 1, 10, 30), new TopicSize("big", 3, 2048, 6144), new TopicSize("empty", 2, 0, 0)]);
        var messages = new Dictionary<string, long?> { ["big"] = 7, ["small"] = 1, ["empty"] = null };

        var table = TopicSizeReport.Table(sizes, messages);

        Assert.Equal(
            "TOPIC  PARTITIONS     SIZE  BYTES  ALL-REPLICAS  REPLICA-BYTES  MESSAGES\n" +
            "big             3  2.0 KiB   2048       6.0 KiB           6144         7\n" +
            "small           1     10 B     10          30 B             30         1\n" +
            "empty           2      0 B      0           0 B              0         -\n" +
            "TOTAL           6  2.0 KiB   2058       6.0 KiB           6174         8\n", table);
        Assert.Contains("\"size_bytes\": 2048", TopicSizeReport.Json(sizes, messages, "c:9092", DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }
}
