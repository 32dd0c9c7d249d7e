using System.Globalization;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>
/// Reads the `--faults` text: entries separated by ';', each NAME=VALUE, an optional '@API,API' limiting it to
/// some APIs (Kafka's API names, any case).
/// <code>
/// seed=N                                    random choices come from N (default 0)
/// drop-after=N[@APIS]                       each connection closes, unanswered, at its (N+1)-th request
/// error=FRACTION:CODE[@APIS]                answer that fraction with CODE (repeatable)
/// stall=[FRACTION:]MS|forever[@APIS]        hold that fraction of responses (repeatable)
/// down=BROKER:FROM_MS[-UNTIL_MS]            broker stops FROM_MS after start, restarts at UNTIL_MS (repeatable)
/// move-coordinators=EVERY_MS                every group's coordinator moves to the next broker this often
/// no-offsets=GROUP_ID_NOT_FOUND              OffsetFetch answers a group without committed offsets with that code
/// </code>
/// Every error names the entry and the part that is wrong.
/// </summary>
public static class FaultSpecParser
{
    public static FaultSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = new FaultSpec();
        List<ErrorRule> errors = [];
        List<StallRule> stalls = [];
        List<BrokerOutage> outages = [];
        foreach (var raw in text.Split(';'))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Bad(entry, $"'{entry}' is not NAME=VALUE");
            }
            var name = entry[..equals].Trim().ToLowerInvariant();
            var (value, apis) = SplitApis(entry, entry[(equals + 1)..].Trim());
            switch (name)
            {
                case "seed":
                    NoApis(entry, apis);
                    spec = spec with { Seed = Int(entry, value, "seed", min: int.MinValue) };
                    break;
                case "drop-after":
                    if (spec.Drop is not null)
                    {
                        throw Bad(entry, "drop-after is given twice");
                    }
                    spec = spec with { Drop = new DropRule(Int(entry, value, "request count", min: 0), apis) };
                    break;
                case "error":
                    errors.Add(ParseError(entry, value, apis));
                    break;
                case "stall":
                    stalls.Add(ParseStall(entry, value, apis));
                    break;
                case "down":
                    NoApis(entry, apis);
                    outages.Add(ParseOutage(entry, value));
                    break;
                case "move-coordinators":
                    NoApis(entry, apis);
                    spec = spec with { MoveCoordinatorsEvery = TimeSpan.FromMilliseconds(Int(entry, value, "interval in ms", min: 1)) };
                    break;
                case "no-offsets":
                    NoApis(entry, apis);
                    if (!value.Equals("GROUP_ID_NOT_FOUND", StringComparison.OrdinalIgnoreCase))
                    {
                        throw Bad(entry, $"'{value}' is not GROUP_ID_NOT_FOUND (the one answer brokers give instead of Kafka's empty one)");
                    }
                    spec = spec with { GroupIdNotFoundWithoutOffsets = true };
                    break;
                default:
                    throw Bad(entry, $"unknown fault '{name}' (known: seed, drop-after, error, stall, down, move-coordinators, no-offsets)");
            }
        }
        return spec with { Errors = errors, Stalls = stalls, Outages = outages };
    }

    private static ErrorRule ParseError(string entry, string value, IReadOnlySet<ApiKey>? apis)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw Bad(entry, $"'{value}' is not FRACTION:CODE, e.g. 0.2:NOT_COORDINATOR");
        }
        var fraction = Fraction(entry, value[..colon]);
        var codeName = value[(colon + 1)..].Trim();
        if (!ErrorResponses.ByName.TryGetValue(codeName, out var code))
        {
            throw Bad(entry, $"unknown error code '{codeName}' (known: {string.Join(", ", ErrorResponses.ByName.Keys)})");
        }
        var answering = ErrorResponses.ApisThatAnswer(code);
        if (apis is null)
        {
            return new ErrorRule(fraction, code, answering);
        }
        var wrong = apis.Where(a => !answering.Contains(a)).ToList();
        if (wrong.Count > 0)
        {
            throw Bad(entry, $"{string.Join(", ", wrong)} cannot answer {ErrorResponses.Name(code)} (it can be injected on {string.Join(", ", answering.Order())})");
        }
        return new ErrorRule(fraction, code, apis);
    }

    private static StallRule ParseStall(string entry, string value, IReadOnlySet<ApiKey>? apis)
    {
        var fraction = 1.0;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            fraction = Fraction(entry, value[..colon]);
            value = value[(colon + 1)..].Trim();
        }
        TimeSpan? delay = value.Equals("forever", StringComparison.OrdinalIgnoreCase)
            ? null
            : TimeSpan.FromMilliseconds(Int(entry, value, "stall in ms (or 'forever')", min: 0));
        // Stalling the handshake APIs by default would stall every connection before it starts.
        return new StallRule(fraction, delay, apis ?? new HashSet<ApiKey>(Enum.GetValues<ApiKey>().Where(a => a is not (ApiKey.ApiVersions or ApiKey.SaslHandshake or ApiKey.SaslAuthenticate))));
    }

    private static BrokerOutage ParseOutage(string entry, string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw Bad(entry, $"'{value}' is not BROKER:FROM_MS[-UNTIL_MS], e.g. 1:2000-5000");
        }
        var broker = Int(entry, value[..colon], "broker id", min: 0);
        var window = value[(colon + 1)..];
        var dash = window.IndexOf('-', StringComparison.Ordinal);
        var from = Int(entry, dash < 0 ? window : window[..dash], "start in ms", min: 0);
        int? until = dash < 0 ? null : Int(entry, window[(dash + 1)..], "end in ms", min: 0);
        if (until <= from)
        {
            throw Bad(entry, $"the broker must come back after it stops ({until} ms is not after {from} ms)");
        }
        return new BrokerOutage(broker, TimeSpan.FromMilliseconds(from), until is null ? null : TimeSpan.FromMilliseconds(until.Value));
    }

    private static (string Value, IReadOnlySet<ApiKey>? Apis) SplitApis(string entry, string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (value, null);
        }
        HashSet<ApiKey> apis = [];
        foreach (var part in value[(at + 1)..].Split(','))
        {
            var name = part.Trim();
            // Names only: a number would parse as any short, known API or not.
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name[0] == '-' || !Enum.TryParse<ApiKey>(name, ignoreCase: true, out var api))
            {
                throw Bad(entry, $"unknown API '{name}' (known: {string.Join(", ", Enum.GetNames<ApiKey>())})");
            }
            apis.Add(api);
        }
        return (value[..at].Trim(), apis);
    }

    private static void NoApis(string entry, IReadOnlySet<ApiKey>? apis)
    {
        if (apis is not null)
        {
            throw Bad(entry, "this fault takes no '@API' list");
        }
    }

    private static double Fraction(string entry, string text)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || !(fraction is > 0 and <= 1))
        {
            throw Bad(entry, $"fraction '{text.Trim()}' is not a number in (0, 1]");
        }
        return fraction;
    }

    private static int Int(string entry, string text, string what, int min)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw Bad(entry, $"{what} '{text.Trim()}' is not a whole number{(min == int.MinValue ? "" : $" ≥ {min}")}");
        }
        return value;
    }

    private static FormatException Bad(string entry, string problem) => new($"fault '{entry}': {problem}");
}
