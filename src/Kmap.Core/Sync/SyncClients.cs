using Kmap.Core.Cluster;

namespace Kmap.Core.Sync;

/// <summary>The clients of one round: the source is only read; the target is read and written.</summary>
public sealed record SyncClients(IClusterReader Source, IRecordReader SourceRecords, IClusterReader Target, IOffsetWriter TargetWriter, IRecordReader TargetRecords);
