using Kmap.Core.ClusterMap;

namespace Kmap.Core.Tests.ClusterMap;

public class ClusterReportHtmlTests
{
    [Fact]
    public void No_name_from_the_cluster_reaches_the_page_as_markup()
    {
        var map = SampleMaps.Small() with { Cluster = "<script>alert(1)</script>@@DATA@@" };

        var html = ClusterReportHtml.Render(map, "1.2.3");

        // The only script elements are the template's two.
        Assert.Equal(2, CountOf(html, "<script"));
        Assert.Equal(2, CountOf(html, "</script>"));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>client", html, StringComparison.Ordinal);
        Assert.Contains("<title>kmap: &lt;script&gt;alert(1)&lt;/script&gt;@@DATA@@</title>", html, StringComparison.Ordinal);
        Assert.Contains("\\u003C/script\\u003E\\u003Cimg", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_self_contained()
    {
        // Plain names here: the hostile ones contain " src=" on purpose.
        var html = ClusterReportHtml.Render(SampleMaps.Large(topics: 3, groups: 2), "1.2.3");

        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_name_offline_and_under_replicated_partitions_and_idle_groups_with_lag()
    {
        var warnings = ClusterWarnings.Of(SampleMaps.Small());

        Assert.Equal(
        [
            "Topic orders: 1 under-replicated partition(s): 1",
            "Topic payments.v1: 1 offline partition(s) (no leader): 0",
            $"Group {SampleMaps.HostileGroup}: lag 10 and no active member (the lag can only grow)",
        ], warnings);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }
        return count;
    }
}
