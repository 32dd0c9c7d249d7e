namespace Kmap.Core.Scripts;

/// <summary>What the generated restore script needs besides the backup itself.</summary>
public sealed record RestoreScriptOptions
{
    /// <summary>Absolute path of the kmap that writes the script: its fallback when Kafka's tools are absent.</summary>
    public string? KmapPath { get; init; }

    public string KmapVersion { get; init; } = "0.0.0";

    /// <summary>File name of the JSON backup written alongside, for the header; null when none was saved.</summary>
    public string? BackupFileName { get; init; }
}
