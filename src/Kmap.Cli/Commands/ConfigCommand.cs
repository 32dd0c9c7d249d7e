using System.CommandLine;
using System.Text;
using System.Text.Json;
using Kmap.Cli.Commands.Config;
using Kmap.Core.Config;

namespace Kmap.Cli.Commands;

/// <summary>`kmap config`: named cluster contexts, so brokers and credentials are typed once.</summary>
public static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = new ConfigStore(context);
        return new Command("config", """
            Manage cluster contexts: named clusters (brokers, security protocol, SASL user, TLS files, and
            where the password comes from) in $XDG_CONFIG_HOME/kmap/config.yaml (or KMAP_CONFIG).
            The file never holds a password: only password-env (a variable name) or password-file (a path).

            Examples:
              kmap config add prod --brokers kafka-1:9093,kafka-2:9093 --security-protocol SASL_SSL \
                --sasl-mechanism SCRAM-SHA-512 --sasl-username kmap --password-env PROD_KAFKA_PASSWORD \
                --tls-ca /etc/kafka/ca.pem --use
              kmap --context prod -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh
              kmap consumer-groups --context prod --list
              kmap config list
              kmap config use staging
              kmap config show prod --format json
            """)
        {
            List(context, store),
            Use(context, store),
            Show(context, store),
            Add(context, store),
            PathCommand(context, store),
        };
    }

    private static Command List(CliContext context, ConfigStore store)
    {
        var format = OutputFormat.Create();
        var names = new Option<bool>("--names") { Description = "only the context names, one a line (for shell completion and scripts)" };
        var command = new Command("list", """
            List the contexts; * marks the current one.

            Examples:
              kmap config list
              kmap config list --format json | jq -r '.contexts[].name'
            """)
        { format, names };
        command.SetAction((parse, cancellationToken) => RunAsync(context, async () =>
        {
            var config = store.Load();
            if (parse.GetValue(names))
            {
                foreach (var c in config.Contexts)
                {
                    await context.Out.WriteLineAsync(c.Name);
                }
                return ExitCodes.Success;
            }
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await context.Out.WriteLineAsync(Json(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("current_context", config.CurrentContext);
                    writer.WriteStartArray("contexts");
                    foreach (var c in config.Contexts)
                    {
                        WriteContext(writer, c, c.Name == config.CurrentContext);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }));
                return ExitCodes.Success;
            }
            if (config.Contexts.Count == 0)
            {
                await context.Error.WriteLineAsync($"kmap: no contexts in {store.Path}; add one with `kmap config add NAME --brokers HOST:PORT`");
                return ExitCodes.Success;
            }
            var rows = config.Contexts.Select(c => new[] { c.Name == config.CurrentContext ? "*" : "", c.Name, c.Brokers ?? "", Auth(c) }).ToList();
            await WriteTableAsync(context.Out, ["CURRENT", "NAME", "BROKERS", "AUTH"], rows);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Use(CliContext context, ConfigStore store)
    {
        var name = new Argument<string>("NAME") { Description = "the context to make current" };
        var command = new Command("use", """
            Make a context the current one: commands use it when no brokers and no --context are given.

            Example:
              kmap config use prod
            """)
        { name };
        command.SetAction((parse, cancellationToken) => RunAsync(context, async () =>
        {
            var config = store.Load();
            var wanted = parse.GetValue(name)!;
            if (config.Find(wanted) is null)
            {
                return await UsageAsync(context, $"no context '{wanted}' in {store.Path} (known: {string.Join(", ", config.Contexts.Select(c => c.Name))})");
            }
            await store.SaveAsync(config with { CurrentContext = wanted }, cancellationToken);
            await context.Out.WriteLineAsync($"current context: {wanted}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show(CliContext context, ConfigStore store)
    {
        var name = new Argument<string?>("NAME") { Description = "the context to show (default: the current one)", Arity = ArgumentArity.ZeroOrOne };
        var format = OutputFormat.Create();
        var command = new Command("show", """
            Show a context's settings. Secrets are never printed: the password shows as where it comes from
            and whether it is there.

            Examples:
              kmap config show
              kmap config show prod --format json
            """)
        { name, format };
        command.SetAction((parse, cancellationToken) => RunAsync(context, async () =>
        {
            var config = store.Load();
            var wanted = parse.GetValue(name) ?? config.CurrentContext;
            if (wanted is null)
            {
                return await UsageAsync(context, "no current context: name one (`kmap config show NAME`) or `kmap config use NAME`");
            }
            if (config.Find(wanted) is not { } c)
            {
                return await UsageAsync(context, $"no context '{wanted}' in {store.Path}");
            }
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                await context.Out.WriteLineAsync(Json(writer => WriteContext(writer, c, c.Name == config.CurrentContext)));
                return ExitCodes.Success;
            }
            var rows = new List<string[]> { new[] { "name", c.Name + (c.Name == config.CurrentContext ? " (current)" : "") } };
            rows.AddRange(KmapConfigFile.Fields(c).Select(f => new[] { f.Key, f.Value }));
            rows.Add(["password", PasswordState(context, c)]);
            await WriteTableAsync(context.Out, null, rows);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Add(CliContext context, ConfigStore store)
    {
        var name = new Argument<string>("NAME") { Description = "the context's name" };
        var brokers = new Option<string>("--brokers", [.. ConnectionOptions.BrokerSpellings.Skip(1)]) { Description = "comma-separated bootstrap brokers", HelpName = "host:port[,host:port]", Required = true };
        var protocol = new Option<string?>("--security-protocol") { Description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL", HelpName = "PROTOCOL" };
        var mechanism = new Option<string?>("--sasl-mechanism") { Description = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", HelpName = "MECHANISM" };
        var user = new Option<string?>("--sasl-username") { Description = "SASL username", HelpName = "NAME" };
        var passwordEnv = new Option<string?>("--password-env") { Description = "environment variable that holds the SASL password", HelpName = "VARIABLE" };
        var passwordFile = new Option<string?>("--password-file") { Description = "file that holds the SASL password", HelpName = "FILE" };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "PEM file of the brokers' CA", HelpName = "FILE" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM client certificate (mTLS)", HelpName = "FILE" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM client private key (mTLS)", HelpName = "FILE" };
        var skipVerify = new Option<bool>("--tls-skip-verify") { Description = "do not check the brokers' certificates (insecure)" };
        var commandConfig = new Option<string?>("--command-config") { Description = "Java client.properties for everything else", HelpName = "FILE" };
        var use = new Option<bool>("--use") { Description = "also make it the current context" };
        var command = new Command("add", """
            Add a context, or replace the one of that name. Passwords are given by reference only.

            Examples:
              kmap config add local --brokers localhost:9092 --use
              kmap config add prod --brokers kafka-1:9093 --security-protocol SASL_SSL --sasl-mechanism SCRAM-SHA-512 \
                --sasl-username kmap --password-env PROD_KAFKA_PASSWORD --tls-ca /etc/kafka/ca.pem
              kmap config add mtls --brokers kafka:9093 --tls-ca ca.pem --tls-cert client.pem --tls-key client.key
            """)
        { name, brokers, protocol, mechanism, user, passwordEnv, passwordFile, tlsCa, tlsCert, tlsKey, skipVerify, commandConfig, use };
        command.SetAction((parse, cancellationToken) => RunAsync(context, async () =>
        {
            if (parse.GetValue(passwordEnv) is not null && parse.GetValue(passwordFile) is not null)
            {
                return await UsageAsync(context, "give --password-env or --password-file, not both");
            }
            var entry = new ClusterContext
            {
                Name = parse.GetValue(name)!,
                Brokers = parse.GetValue(brokers),
                SecurityProtocol = parse.GetValue(protocol) is { } p ? SecurityProtocols.Name(SecurityProtocols.Parse(p)) : null,
                SaslMechanism = parse.GetValue(mechanism) is { } m ? SaslMechanisms.Normalize(m) : null,
                SaslUsername = parse.GetValue(user),
                PasswordEnv = parse.GetValue(passwordEnv),
                PasswordFile = parse.GetValue(passwordFile) is { } f ? System.IO.Path.GetFullPath(f) : null,
                TlsCa = parse.GetValue(tlsCa) is { } ca ? System.IO.Path.GetFullPath(ca) : null,
                TlsCert = parse.GetValue(tlsCert) is { } cert ? System.IO.Path.GetFullPath(cert) : null,
                TlsKey = parse.GetValue(tlsKey) is { } key ? System.IO.Path.GetFullPath(key) : null,
                TlsSkipVerify = parse.GetValue(skipVerify),
                CommandConfig = parse.GetValue(commandConfig) is { } cc ? System.IO.Path.GetFullPath(cc) : null,
            };
            var config = store.Load().With(entry);
            if (parse.GetValue(use) || config.CurrentContext is null)
            {
                config = config with { CurrentContext = entry.Name };
            }
            await store.SaveAsync(config, cancellationToken);
            await context.Out.WriteLineAsync($"context {entry.Name} saved in {store.Path}" + (config.CurrentContext == entry.Name ? " (current)" : ""));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command PathCommand(CliContext context, ConfigStore store)
    {
        var command = new Command("path", """
            Print where the config file is (it need not exist yet).

            Example:
              $EDITOR "$(kmap config path)"
            """);
        command.SetAction((parse, cancellationToken) => RunAsync(context, async () =>
        {
            await context.Out.WriteLineAsync(store.Path);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Auth(ClusterContext c)
    {
        var parts = new List<string>();
        if (c.SecurityProtocol is { } p)
        {
            parts.Add(p);
        }
        if (c.SaslUsername is { } u)
        {
            parts.Add($"{c.SaslMechanism ?? SaslMechanisms.Plain} user={u}");
        }
        if (c.TlsCert is not null)
        {
            parts.Add("client-cert");
        }
        return parts.Count == 0 ? "-" : string.Join(' ', parts);
    }

    /// <summary>Where the password comes from and whether it is available; never the password.</summary>
    private static string PasswordState(CliContext context, ClusterContext c) =>
        c.PasswordEnv is { } variable ? $"from ${variable} ({(string.IsNullOrEmpty(context.Environment(variable)) ? "not set" : "set, hidden")})"
        : c.PasswordFile is { } file ? $"from file {file} ({(File.Exists(file) ? "present, hidden" : "missing")})"
        : c.SaslUsername is not null ? $"from ${ConnectionSettingsBuilder.PasswordVariable} or -sasl-password"
        : "none";

    private static void WriteContext(Utf8JsonWriter writer, ClusterContext c, bool current)
    {
        writer.WriteStartObject();
        writer.WriteString("name", c.Name);
        writer.WriteBoolean("current", current);
        foreach (var (key, value) in KmapConfigFile.Fields(c))
        {
            if (key == "tls-skip-verify")
            {
                writer.WriteBoolean(key.Replace('-', '_'), true);
            }
            else
            {
                writer.WriteString(key.Replace('-', '_'), value);
            }
        }
        writer.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task WriteTableAsync(TextWriter output, string[]? header, IReadOnlyList<string[]> rows)
    {
        var all = header is null ? rows : [header, .. rows];
        var widths = Enumerable.Range(0, all[0].Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static async Task<int> RunAsync(CliContext context, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (FormatException e)
        {
            return await UsageAsync(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"kmap config: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> UsageAsync(CliContext context, string message)
    {
        await context.Error.WriteLineAsync($"kmap config: {message}");
        return ExitCodes.Usage;
    }
}
