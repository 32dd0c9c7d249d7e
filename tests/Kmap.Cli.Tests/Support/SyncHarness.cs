using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;

namespace Kmap.Cli.Tests.Support;

/// <summary>Two sandboxes, records with chosen times, a replicator and consumers: what the `kmap sync` tests share.</summary>
internal static class SyncHarness
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<SandboxCluster> StartAsync(string id, FaultSpec? faults = null, int brokers = 1) =>
        SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = brokers, ClusterId = $"{id}-{Guid.NewGuid():N}", Faults = faults ?? FaultSpec.None }, cancellationToken: Ct);

    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>Records PREFIX{partition}-{i} for i in [first, first+count), record i timestamped start + i ms: every time distinct.</summary>
    public static async Task ProduceAsync(string bootstrap, string topic, int partition, string prefix, int first, int count, DateTimeOffset start)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 1 }).Build();
        for (var i = first; i < first + count; i++)
        {
            producer.Produce(new Confluent.Kafka.TopicPartition(topic, partition), new Message<Null, string>
            {
                Value = $"{prefix}{partition}-{i}",
                Timestamp = new Timestamp(start.AddMilliseconds(i).UtcDateTime, TimestampType.CreateTime),
            });
        }
        producer.Flush(Ct);
        await Task.CompletedTask;
    }

    public static long LogEnd(string bootstrap, string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "kmap-test-watermarks" }).Build();
        return consumer.QueryWatermarkOffsets(new Confluent.Kafka.TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
    }

    /// <summary>The group's committed offsets (-1001: none), asked again when an injected fault answers instead.</summary>
    public static Dictionary<int, long> Committed(string bootstrap, string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new Confluent.Kafka.TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
                    .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
            }
            catch (KafkaException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>`kmap sync` running in this process until stopped; its stderr readable while it runs.</summary>
    public sealed class RunningSync : IAsyncDisposable
    {
        private readonly StringWriter errorText = new();
        private readonly TextWriter error;
        private readonly CancellationTokenSource stop = new();
        private readonly Task<int> run;

        public RunningSync(params string[] args)
        {
            error = TextWriter.Synchronized(errorText);
            var context = new CliContext(TextWriter.Null, error, _ => null);
            run = Task.Run(() => KmapApp.RunAsync(["sync", .. args], context, stop.Token));
        }

        public string Stderr
        {
            get
            {
                lock (error)
                {
                    return errorText.ToString();
                }
            }
        }

        public int Rounds => Stderr.Split('\n').Count(l => l.StartsWith("kmap: round ", StringComparison.Ordinal) && l.Contains(" group(s), ", StringComparison.Ordinal));

        /// <summary>Waits until <paramref name="more"/> more round lines than now have been written.</summary>
        public async Task WaitForRoundsAsync(int more, TimeSpan? within = null)
        {
            var until = Rounds + more;
            await WaitForAsync(() => Rounds >= until, $"{more} more round(s)", within);
        }

        public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? within = null)
        {
            var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
            while (!condition())
            {
                if (run.IsCompleted)
                {
                    throw new InvalidOperationException($"kmap sync ended (exit {run.Result}) before {what}:\n{Stderr}");
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"no {what} in time:\n{Stderr}");
                }
                await Task.Delay(100, Ct);
            }
        }

        /// <summary>As Ctrl-C: the token the command runs with is cancelled; its exit code.</summary>
        public async Task<int> StopAsync()
        {
            await stop.CancelAsync();
            return await run.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await stop.CancelAsync();
                await run.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            stop.Dispose();
        }
    }

    /// <summary>
    /// A replicator as MirrorMaker 2 is one: reads every record of the source topic and produces it to the same partition
    /// of the target WITH its record time. It does not touch groups.
    /// </summary>
    public sealed class TestReplicator : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task run;
        private long copied;

        public TestReplicator(string source, string target, string topic, int partitions)
        {
            run = Task.Run(() => Copy(source, target, topic, partitions));
        }

        public long Copied => Interlocked.Read(ref copied);

        private void Copy(string source, string target, string topic, int partitions)
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = source,
                GroupId = "kmap-test-replicator",
                EnableAutoCommit = false,
            }).Build();
            using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = target, LingerMs = 1, EnableIdempotence = false, MaxInFlight = 1 }).Build();
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            while (!stop.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (record is null || record.IsPartitionEOF)
                {
                    producer.Flush(TimeSpan.FromSeconds(10));
                    continue;
                }
                producer.Produce(new Confluent.Kafka.TopicPartition(topic, record.Partition), new Message<byte[], byte[]>
                {
                    Key = record.Message.Key,
                    Value = record.Message.Value,
                    Timestamp = record.Message.Timestamp,
                });
                Interlocked.Increment(ref copied);
            }
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
    }

    /// <summary>A consumer of a group that records every value it reads (per partition) and commits as it goes.</summary>
    public sealed class RecordingConsumer : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task run;

        public RecordingConsumer(string bootstrap, string group, string topic)
        {
            run = Task.Run(() => Consume(bootstrap, group, topic));
        }

        public ConcurrentQueue<(int Partition, string Value)> Read { get; } = new();

        public bool Assigned { get; private set; }

        private void Consume(string bootstrap, string group, string topic)
        {
            using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            }).SetPartitionsAssignedHandler((_, _) => Assigned = true).Build();
            consumer.Subscribe(topic);
            var sinceCommit = 0;
            while (!stop.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (record is null)
                {
                    continue;
                }
                Read.Enqueue((record.Partition.Value, record.Message.Value));
                // Commit what was read after every few records: its committed position is always at a record boundary it has read.
                if (++sinceCommit >= 5)
                {
                    consumer.Commit();
                    sinceCommit = 0;
                }
                Thread.Sleep(2);
            }
            // A consumer stopped cleanly commits what it read, then leaves its group.
            try
            {
                consumer.Commit();
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
            {
            }
            consumer.Close();
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
    }
}
