using System.Globalization;

namespace Kmap.Core.ClusterMap;

/// <summary>Byte counts for people: binary units (KiB, MiB...) with one decimal.</summary>
public static class HumanBytes
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    /// <summary>
    /// The Go tool's `total_size_human`: bytes below 1 KiB as "875 B", above with two decimals in binary
    /// units ("1.50 GiB", "456.78 GiB"), the value divided by the largest unit it reaches (its formatBytes).
    /// </summary>
    public static string FormatGo(long bytes)
    {
        const long Unit = 1024;
        if (bytes < Unit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }
        long divisor = Unit;
        var exponent = 0;
        for (var n = bytes / Unit; n >= Unit && exponent < Units.Length - 2; n /= Unit)
        {
            divisor *= Unit;
            exponent++;
        }
        // Go's %.2f rounds an exact half to even (1152 B is "1.12 KiB"); .NET's format would round it up.
        var value = Math.Round((decimal)bytes / divisor, 2, MidpointRounding.ToEven);
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.00} {Units[exponent + 1]}");
    }
}
