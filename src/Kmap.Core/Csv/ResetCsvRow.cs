namespace Kmap.Core.Csv;

/// <summary>One line of Kafka's reset CSV; Group is null in the three-column (single group) form.</summary>
public sealed record ResetCsvRow(string? Group, string Topic, int Partition, long Offset);
