using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace Kmap.Kafka;

/// <summary>
/// librdkafka's logs and errors, made readable: each distinct warning is shown once (a refused
/// connection is retried hundreds of times a minute), the last error is kept for the final message,
/// and errors that retrying cannot fix (authentication) end the wait at once.
/// </summary>
internal sealed partial class KafkaClientLog(Action<string>? log, Wire.WireRetryNotice? notice = null)
{
    private readonly long created = Environment.TickCount64;

    private readonly Lock sync = new();
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<KafkaException> fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the error when the client cannot recover.</summary>
    public Task<KafkaException> Fatal => fatal.Task;

    public string? LastError { get; private set; }

    public void OnLog(LogMessage message)
    {
        if (message.Level > SyslogLevel.Warning)
        {
            return;
        }
        var text = Noise().Replace(message.Message, "");
        bool first;
        lock (sync)
        {
            first = seen.Add(text);
        }
        if (first)
        {
            log?.Invoke($"librdkafka: {text}");
        }
        // librdkafka retries a broker it cannot reach until the request's timeout, silently after its first line.
        if (notice is not null && BrokerDown().Match(text) is { Success: true } down)
        {
            notice.Retrying(down.Groups["broker"].Value, down.Groups["reason"].Value, TimeSpan.FromMilliseconds(Environment.TickCount64 - created));
        }
    }

    public void OnError(Error error)
    {
        LastError = error.Reason;
        if (error.IsFatal || error.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed)
        {
            fatal.TrySetResult(new KafkaException(error));
        }
    }

    // "127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused", "…: Receive failed: Disconnected".
    [GeneratedRegex(@"^(?<broker>[^/\s]+)/\S*: (?:Connect to \S+ failed|Failed to resolve '[^']*'|Receive failed|Send failed|SSL handshake failed|Connection setup timed out[^:]*): (?<reason>.+)$")]
    private static partial Regex BrokerDown();

    // Thread tags, client names and retry timings differ on every repetition of the same problem.
    [GeneratedRegex(@"^\[thrd:[^\]]*\]:\s*|kmap#\w+-\d+:\s*|\s*\(after \d+ms in state \w+(, \d+ identical error\(s\) suppressed)?\)")]
    private static partial Regex Noise();
}
