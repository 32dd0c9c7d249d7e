using System.CommandLine;
using Kmap.Core.Config;

namespace Kmap.Cli;

/// <summary>Options every command accepts, and the help text every command ends with.</summary>
internal static class GlobalOptions
{
    public const string ContextName = "--context";

    public const string Environment = """
        Environment:
          KMAP_CONFIG          the config file (default $XDG_CONFIG_HOME/kmap/config.yaml, else ~/.config/kmap/config.yaml)
          KMAP_CONTEXT         the context to use when --context is not given
          KMAP_BROKERS         brokers when neither a flag nor --context/KMAP_CONTEXT names them
                               (the config's current-context is then not used)
          KMAP_SASL_PASSWORD   SASL password when neither a flag nor the context gives one
        Precedence: flags > --context > KMAP_CONTEXT > KMAP_BROKERS > current-context > localhost:9092.
        """;

    public const string ExitStatus = "Exit status: 0 success, 1 failure, 2 usage error, 3 partial success.";

    public static Option<string?> CreateContextOption() => new(ContextName)
    {
        Description = "use this cluster context of the kmap config file (see `kmap config list`)",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>Ends every command's help (the ones other files add too) with its exit codes and the environment.</summary>
    public static void AddHelpEpilogue(Command command)
    {
        var description = command.Description ?? "";
        if (!description.Contains("Exit status", StringComparison.Ordinal))
        {
            description += "\n\n" + ExitStatus;
        }
        command.Description = description + "\n\n" + Environment;
        foreach (var sub in command.Subcommands)
        {
            AddHelpEpilogue(sub);
        }
    }

    /// <summary>
    /// The environment as commands see it: a --context NAME given anywhere on the line reads as KMAP_CONTEXT=NAME,
    /// so every command that builds connection settings from the environment honours it.
    /// </summary>
    public sealed class ContextSelection(Func<string, string?> environment)
    {
        public string? Name { get; set; }

        public string? Read(string variable) =>
            Name is not null && string.Equals(variable, KmapConfigFile.ContextVariable, StringComparison.Ordinal) ? Name : environment(variable);
    }
}
