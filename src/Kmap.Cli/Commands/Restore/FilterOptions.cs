using System.CommandLine;
using Kmap.Core.Filters;

namespace Kmap.Cli.Commands.Restore;

/// <summary>--include-groups / --exclude-groups / --topics: globs (* ? [..]) or re:REGEX, repeatable or comma-separated.</summary>
internal sealed class FilterOptions
{
    public Option<string[]> IncludeGroups { get; } = new("--include-groups") { Description = "only groups matching these globs (or re:REGEX); repeatable, comma-separated", AllowMultipleArgumentsPerToken = false };
    public Option<string[]> ExcludeGroups { get; } = new("--exclude-groups") { Description = "leave out groups matching these globs (or re:REGEX)", AllowMultipleArgumentsPerToken = false };
    public Option<string[]> Topics { get; } = new("--topics") { Description = "only offsets of topics matching these globs (or re:REGEX)", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        command.Options.Add(IncludeGroups);
        command.Options.Add(ExcludeGroups);
        command.Options.Add(Topics);
    }

    public BackupFilter Build(ParseResult parse) =>
        new(NameFilter.Parse(parse.GetValue(IncludeGroups), parse.GetValue(ExcludeGroups)), NameFilter.Parse(parse.GetValue(Topics), null));
}
