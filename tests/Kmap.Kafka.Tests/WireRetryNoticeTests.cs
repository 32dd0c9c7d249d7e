using System.Net.Sockets;
using Kmap.Kafka.Wire;

namespace Kmap.Kafka.Tests;

public class WireRetryNoticeTests
{
    [Fact]
    public void A_broker_is_named_at_its_first_failure_with_the_time_left_then_not_again_within_the_period()
    {
        var lines = new List<string>();
        var notice = new WireRetryNotice(lines.Add, TimeSpan.FromSeconds(30));

        notice.Retrying("10.0.0.7:9092", new IOException("cannot connect to bootstrap broker 10.0.0.7:9092: Connection refused",
            new SocketException((int)SocketError.ConnectionRefused)), TimeSpan.FromSeconds(0.2));
        notice.Retrying("10.0.0.7:9092", "Connection refused", TimeSpan.FromSeconds(0.5));
        notice.Retrying("10.0.0.8:9092", "NOT_COORDINATOR", TimeSpan.FromSeconds(3.5));

        Assert.Equal(2, lines.Count);
        Assert.Matches(@"^retrying 10\.0\.0\.7:9092 for up to 30 s \(.+\)$", lines[0]);
        Assert.DoesNotContain("cannot connect", lines[0], StringComparison.Ordinal);
        Assert.Equal("retrying 10.0.0.8:9092 for up to 27 s (NOT_COORDINATOR)", lines[1]);
    }

    [Fact]
    public void Without_a_log_nothing_is_said()
    {
        var notice = new WireRetryNotice(null, TimeSpan.FromSeconds(30));

        notice.Retrying("10.0.0.7:9092", "Connection refused", TimeSpan.Zero);
    }

    [Fact]
    public void Librdkafkas_line_about_a_broker_it_cannot_reach_is_followed_by_the_retrying_line()
    {
        var lines = new List<string>();
        var log = new KafkaClientLog(lines.Add, new WireRetryNotice(lines.Add, TimeSpan.FromSeconds(30)));

        log.OnLog(new Confluent.Kafka.LogMessage("rdkafka#adminclient-1", Confluent.Kafka.SyslogLevel.Error, "FAIL",
            "[thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 0ms in state CONNECT)"));
        log.OnLog(new Confluent.Kafka.LogMessage("rdkafka#adminclient-1", Confluent.Kafka.SyslogLevel.Error, "FAIL",
            "[thrd:127.0.0.1:1/bootstrap]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after 1ms in state CONNECT)"));

        Assert.Equal(2, lines.Count);
        Assert.Equal("librdkafka: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused", lines[0]);
        Assert.Matches(@"^retrying 127\.0\.0\.1:1 for up to (29|30) s \(Connection refused\)$", lines[1]);
    }

    [Fact]
    public void A_timeout_is_said_as_no_answer()
    {
        Assert.Equal("no answer (timed out)", WireRetryNotice.Reason(new OperationCanceledException()));
    }
}
