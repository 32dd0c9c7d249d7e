using CsCheck;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

public class ApiVersionsTests
{
    [Theory]
    [InlineData((short)0)]
    [InlineData((short)1)]
    [InlineData((short)2)]
    [InlineData((short)3)]
    [InlineData((short)4)]
    public async Task Every_served_version_lists_the_handlers(short version)
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(
            ApiKey.ApiVersions, version, new ApiVersionsRequest("kmap-test", "1.0"), flexible: version >= 3);
        Assert.Equal(ErrorCode.None, response.ErrorCode);
        Assert.Contains(response.ApiKeys, k => k.ApiKey == (short)ApiKey.ApiVersions && k.MinVersion == 0 && k.MaxVersion == 4);
        Assert.Contains(response.ApiKeys, k => k.ApiKey == (short)ApiKey.Metadata);
    }

    [Fact]
    public async Task A_too_new_version_gets_a_v0_answer_with_UNSUPPORTED_VERSION_and_its_own_range()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        // Version 42 does not exist; the broker answers in v0 format so any client can read it.
        var reader = await connection.SendAsync(ApiKey.ApiVersions, 42, new ApiVersionsRequest(null, null), flexible: false);
        var response = ApiVersionsResponse.Read(reader, 0);
        Assert.Equal(ErrorCode.UnsupportedVersion, response.ErrorCode);
        // Kafka (ApiVersionsRequest.getErrorResponse, KIP-511) lists only ApiVersions itself.
        Assert.Equal([new ApiVersionRange((short)ApiKey.ApiVersions, 0, 4)], response.ApiKeys);
    }

    [Fact]
    public void Request_and_response_round_trip_at_every_version()
    {
        var range = Gen.Select(Gen.Short, Gen.Short[0, 20], Gen.Short[0, 20],
            (k, a, b) => new ApiVersionRange(k, Math.Min(a, b), Math.Max(a, b)));
        Gen.Select(range.List[0, 40], Gen.Int, Gen.Short[0, 3], Gen.String.AlphaNumeric)
            .Sample((ranges, throttle, version, name) =>
            {
                RoundTrip.AssertStable(new ApiVersionsResponse(ErrorCode.None, ranges, throttle), version, version >= 3);
                RoundTrip.AssertStable(new ApiVersionsRequest(name, name), version, version >= 3);
            });
    }
}
