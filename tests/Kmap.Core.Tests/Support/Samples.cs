using Kmap.Core.Backup;
using Kmap.Core.Model;

namespace Kmap.Core.Tests.Support;

/// <summary>The guide's example backup, as kmap's model.</summary>
public static class Samples
{
    public static readonly DateTimeOffset GuideTime = new(2026, 1, 20, 15, 30, 4, TimeSpan.Zero);

    /// <summary>The JSON example of the guide (CONSUMER_OFFSETS.md, "Backup File Format"), verbatim.</summary>
    public const string GuideJson = """
        {
          "timestamp": "2026-01-20T15:30:04Z",
          "cluster": "localhost:9092",
          "consumer_groups": [
            {
              "group": "my-consumer-group",
              "topics": {
                "orders": [
                  {"partition": 0, "offset": 12345},
                  {"partition": 1, "offset": 67890}
                ],
                "payments": [
                  {"partition": 0, "offset": 98765}
                ]
              },
              "timestamp": "2026-01-20T15:30:04Z"
            }
          ]
        }
        """;

    /// <summary>The guide's example with kmap's additions (state, log range, partition counts), partitions deliberately unsorted.</summary>
    public static OffsetBackup GuideBackup() =>
        new(GuideTime, "localhost:9092",
        [
            new GroupOffsets("my-consumer-group",
            [
                new BackedUpOffset("payments", 0, 98765) { LogStartOffset = 0, LogEndOffset = 100000 },
                new BackedUpOffset("orders", 1, 67890) { LeaderEpoch = 3, LogStartOffset = 0, LogEndOffset = 70000 },
                new BackedUpOffset("orders", 0, 12345) { LogStartOffset = 100, LogEndOffset = 12345 },
            ], GuideTime) { State = GroupState.Empty },
        ])
        { ClusterId = "abc", PartitionCounts = new Dictionary<string, int>(StringComparer.Ordinal) { ["orders"] = 6, ["payments"] = 3 } };

    public static string GuideBackupJson() => OffsetBackupJson.Serialize(GuideBackup());
}
