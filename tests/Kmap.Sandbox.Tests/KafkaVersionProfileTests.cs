using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>
/// `kmap sandbox --kafka-version`: each profile advertises and accepts exactly its release's ranges for the
/// APIs the sandbox serves, and answers versions outside them as that release does.
/// </summary>
public class KafkaVersionProfileTests
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Versions a release has that the sandbox's handler does not encode, by profile and API key, with the
    /// reason; each is named in docs/sandbox.md, "Kafka version profiles". Keep this list short.
    /// </summary>
    private static readonly Dictionary<(string Profile, ApiKey Key), (short Min, short Max, string Why)> KnownGaps = new()
    {
        [("2.8", ApiKey.Produce)] = (0, 2, "message sets v0/v1 (magic 0/1) are not written by the sandbox"),
        [("3.9", ApiKey.Produce)] = (0, 2, "message sets v0/v1 (magic 0/1) are not written by the sandbox"),
        [("2.8", ApiKey.Fetch)] = (0, 3, "message sets v0/v1 (magic 0/1) are not written by the sandbox"),
        [("3.9", ApiKey.Fetch)] = (0, 3, "message sets v0/v1 (magic 0/1) are not written by the sandbox"),
    };

    public static TheoryData<string> Profiles => [.. KafkaVersionProfile.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Each_served_handler_covers_its_release_range(string name)
    {
        var profile = KafkaVersionProfile.Find(name)!;
        var uncovered = new List<string>();
        foreach (var handler in ApiRegistry.Handlers())
        {
            if (profile.Range(handler.Key) is not { } release)
            {
                continue;
            }
            var min = release.MinVersion;
            var max = release.MaxVersion;
            if (KnownGaps.TryGetValue((name, handler.Key), out var gap))
            {
                (min, max) = gap.Min == min ? ((short)(gap.Max + 1), max) : (min, (short)(gap.Min - 1));
            }
            if (handler.MinVersion > min || handler.MaxVersion < max)
            {
                uncovered.Add($"{release.Name} ({release.Key}): Kafka {name} has {min}..{max}, the handler serves {handler.MinVersion}..{handler.MaxVersion}");
            }
        }
        Assert.Empty(uncovered);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task ApiVersions_advertises_exactly_the_release_ranges_of_the_served_apis(string name)
    {
        var profile = KafkaVersionProfile.Find(name)!;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { KafkaVersion = name });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(
            ApiKey.ApiVersions, 3, new ApiVersionsRequest("kmap-test", "1.0"), flexible: true);

        var served = ApiRegistry.Handlers().Select(h => (short)h.Key).ToHashSet();
        var expected = profile.Apis
            .Where(a => served.Contains(a.Key))
            .Select(a => !KnownGaps.TryGetValue((name, (ApiKey)a.Key), out var gap) ? new ApiVersionRange(a.Key, a.MinVersion, a.MaxVersion)
                : gap.Min == a.MinVersion ? new ApiVersionRange(a.Key, (short)(gap.Max + 1), a.MaxVersion)
                : new ApiVersionRange(a.Key, a.MinVersion, (short)(gap.Min - 1)))
            .OrderBy(r => r.ApiKey);
        Assert.Equal(expected, response.ApiKeys.OrderBy(r => r.ApiKey));
    }

    [Fact]
    public async Task Unstable_api_versions_add_streams_group_describe_to_4_1_as_unstable_api_versions_enable_does()
    {
        foreach (var unstable in new[] { false, true })
        {
            await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { UnstableApiVersions = unstable });
            await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
            var response = await connection.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(
                ApiKey.ApiVersions, 3, new ApiVersionsRequest("kmap-test", "1.0"), flexible: true);
            var streams = response.ApiKeys.SingleOrDefault(r => r.ApiKey == (short)ApiKey.StreamsGroupDescribe);
            Assert.Equal(unstable ? new ApiVersionRange((short)ApiKey.StreamsGroupDescribe, 0, 0) : null, streams);
            // Stable APIs are the same either way.
            Assert.Contains(new ApiVersionRange((short)ApiKey.ConsumerGroupDescribe, 0, 1), response.ApiKeys);
        }
    }

    [Fact]
    public void A_handler_the_release_lacks_is_neither_advertised_nor_found()
    {
        var withoutDescribeCluster = KafkaVersionProfile.Kafka41 with
        {
            Apis = [.. KafkaVersionProfile.Kafka41.Apis.Where(a => a.Key != (short)ApiKey.DescribeCluster)],
        };
        var apis = ApiRegistry.All(withoutDescribeCluster);
        Assert.Null(apis.Find(ApiKey.DescribeCluster));
        Assert.DoesNotContain(apis.Advertised, r => r.ApiKey == (short)ApiKey.DescribeCluster);
        Assert.NotNull(apis.Find(ApiKey.Metadata));
    }

    [Theory]
    [InlineData("2.8", (short)3)]
    [InlineData("3.9", (short)4)]
    [InlineData("4.1", (short)4)]
    public async Task A_too_new_ApiVersions_gets_UNSUPPORTED_VERSION_in_v0_with_the_release_ApiVersions_range(string name, short max)
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { KafkaVersion = name });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        // The broker does not read the body of a version it does not know; its answer is v0 (no flexible header or arrays).
        var reader = await connection.SendAsync(ApiKey.ApiVersions, (short)(max + 1), new ApiVersionsRequest(null, null), flexible: false);
        var response = ApiVersionsResponse.Read(reader, 0);
        Assert.Equal(ErrorCode.UnsupportedVersion, response.ErrorCode);
        Assert.Equal([new ApiVersionRange((short)ApiKey.ApiVersions, 0, max)], response.ApiKeys);
    }

    [Theory]
    [InlineData("2.8", ApiKey.Metadata, (short)12)]
    [InlineData("2.8", ApiKey.OffsetFetch, (short)8)]
    [InlineData("3.9", ApiKey.Metadata, (short)13)]
    [InlineData("4.1", ApiKey.ListOffsets, (short)0)]
    [InlineData("4.1", ApiKey.OffsetCommit, (short)1)]
    public async Task A_version_outside_the_release_closes_the_connection_unanswered(string name, ApiKey key, short version)
    {
        var log = new List<string>();
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            KafkaVersion = name,
            Log = line => { lock (log) { log.Add(line); } },
        });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var writer = new KafkaWriter();
        new RequestHeader(key, version, 7, "old-client").Write(writer, flexible: false);
        await connection.SendFrameAsync(writer.ToArray());
        // Kafka's SocketServer closes the socket (InvalidRequestException, "Closing socket for … because of error"):
        // no response of any kind comes back.
        Assert.True(await connection.IsClosedByBrokerAsync(CloseTimeout), $"Kafka {name} closes a connection that sent {key} v{version}");
        lock (log)
        {
            Assert.Contains(log, line => line.Contains($"{key} version {version} from client 'old-client' is not enabled in Kafka {name}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_unknown_profile_is_refused_naming_the_known_ones()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SandboxCluster.StartAsync(new SandboxOptions { KafkaVersion = "1.0" }));
        Assert.Contains("'1.0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("2.8, 3.9, 4.1", error.Message, StringComparison.Ordinal);
    }
}
