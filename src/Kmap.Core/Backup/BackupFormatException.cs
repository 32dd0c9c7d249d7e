using System.Text.Json;

namespace Kmap.Core.Backup;

/// <summary>
/// A backup file that is not a backup: malformed or truncated JSON, or the wrong shape. The message names the file
/// and the position (line and byte for JSON errors, the path such as consumer_groups[3].topics.orders[0] for a
/// field of the wrong type). A <see cref="JsonException"/>, so the commands that report unreadable backups catch it.
/// </summary>
public sealed class BackupFormatException : JsonException
{
    public BackupFormatException()
    {
    }

    public BackupFormatException(string message)
        : base(message)
    {
    }

    public BackupFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
