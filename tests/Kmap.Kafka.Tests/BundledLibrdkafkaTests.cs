using Confluent.Kafka;

namespace Kmap.Kafka.Tests;

/// <summary>Issue 16, item 1: the librdkafka kmap loads is its own (the end-to-end check is scripts/foreign-librdkafka-smoke.sh).</summary>
public class BundledLibrdkafkaTests
{
    [Fact]
    public void The_library_loaded_is_the_bundled_one_under_the_program_directory()
    {
        BundledLibrdkafka.EnsureLoaded();
        BundledLibrdkafka.EnsureLoaded(); // once per process: a second call changes nothing

        var loaded = BundledLibrdkafka.LoadedPath;
        Assert.NotNull(loaded);
        Assert.StartsWith(Path.GetFullPath(AppContext.BaseDirectory), loaded, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(loaded), BundledLibrdkafka.FileNames());
        // librdkafka.redist 2.x: the version Confluent.Kafka was built for, not Debian's 2.0.2.
        Assert.True(Library.Version >= 0x020a0000, $"librdkafka {Library.VersionString} is older than the bundled 2.10+");
    }

    [Fact]
    public void Candidates_start_with_runtimes_rid_native_beside_the_program()
    {
        var candidates = BundledLibrdkafka.Candidates();

        Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "runtimes", BundledLibrdkafka.Rid(), "native", BundledLibrdkafka.FileNames()[0])), candidates[0]);
        Assert.Equal(candidates.Count, candidates.Distinct(StringComparer.Ordinal).Count());
    }
}
