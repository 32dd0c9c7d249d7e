using System.CommandLine;

namespace Kmap.Cli.Commands;

/// <summary>`--format table|json` of the commands that print data.</summary>
internal static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    public static Option<string> Create()
    {
        var option = new Option<string>("--format")
        {
            Description = "output format: table (for people) or json (for scripts)",
            DefaultValueFactory = _ => Table,
        };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }
}
