using CsCheck;
using Kmap.Core.Csv;

namespace Kmap.Core.Tests.Csv;

public class ResetCsvTests
{
    [Fact]
    public void One_group_reads_three_columns_without_header()
    {
        var rows = ResetCsv.Parse("orders,0,12345\norders,1,67890\r\npayments,0,98765\n", "g");

        Assert.Equal([new ResetCsvRow("g", "orders", 0, 12345), new ResetCsvRow("g", "orders", 1, 67890), new ResetCsvRow("g", "payments", 0, 98765)], rows);
    }

    [Fact]
    public void Several_groups_need_four_columns_and_quoted_group_names_may_hold_commas_and_quotes()
    {
        var rows = ResetCsv.Parse("\"a,b\",orders,0,5\n\"say \"\"hi\"\"\",orders,1,6\n", null);

        Assert.Equal([new ResetCsvRow("a,b", "orders", 0, 5), new ResetCsvRow("say \"hi\"", "orders", 1, 6)], rows);
    }

    [Fact]
    public void Three_columns_without_exactly_one_group_is_refused_like_Kafka()
    {
        var error = Assert.Throws<FormatException>(() => ResetCsv.Parse("orders,0,1\n", null));
        Assert.Contains("four columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_group_with_a_four_column_file_reads_the_group_column()
    {
        var rows = ResetCsv.Parse("g,orders,0,1\nother,orders,0,2\n", "g");

        Assert.Equal(["g", "other"], rows.Select(r => r.Group));
    }

    [Theory]
    [InlineData("TOPIC,PARTITION,OFFSET\n")]
    [InlineData("orders,x,1\n")]
    [InlineData("orders,0\n")]
    [InlineData("orders,0,1,2,3\n")]
    [InlineData("\"orders,0,1\n")]
    public void Malformed_lines_are_errors_naming_the_line(string text)
    {
        var error = Assert.Throws<FormatException>(() => ResetCsv.Parse(text, "g"));
        Assert.StartsWith("line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_then_import_gives_the_same_rows_for_any_group_name_without_line_breaks()
    {
        var name = Gen.String[Gen.Char.Where(c => c != '\n' && c != '\r'), 0, 20];
        var row = Gen.Select(name, Gen.Int[0, 1000], Gen.Long[0, long.MaxValue], (g, p, o) => new ResetCsvRow(g, "topic-" + p, p, o));
        row.List[1, 20].Sample(rows =>
        {
            var text = ResetCsv.Write(rows, withGroup: true);
            Assert.Equal(rows, ResetCsv.Parse(text, null));
        });
    }
}
