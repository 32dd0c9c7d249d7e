using System.Text;

namespace Kmap.Cli;

/// <summary>
/// stderr as commands see it, remembering whether a "Run 'kmap … --help' for usage." hint was written, so that every
/// usage error (exit 2) ends with the help of the command that was run, whichever part of kmap reported it.
/// </summary>
internal sealed class UsageHintWriter(TextWriter inner) : TextWriter
{
    private const string Hint = "for usage.";
    private string tail = "";

    /// <summary>The text written so far ends with a usage hint (trailing whitespace aside).</summary>
    public bool EndsWithHint => tail.TrimEnd().EndsWith(Hint, StringComparison.Ordinal);

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    private void Remember(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }
        var joined = string.Concat(tail, text);
        tail = joined.Length > 256 ? joined[^256..] : joined;
    }

    public override void Write(char value)
    {
        Remember([value]);
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        Remember(value);
        inner.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Remember(buffer.AsSpan(index, count));
        inner.Write(buffer, index, count);
    }

    public override void WriteLine(string? value)
    {
        Remember(value);
        Remember(NewLine);
        inner.WriteLine(value);
    }

    public override void WriteLine()
    {
        Remember(NewLine);
        inner.WriteLine();
    }

    public override Task WriteAsync(char value)
    {
        Remember([value]);
        return inner.WriteAsync(value);
    }

    public override Task WriteAsync(string? value)
    {
        Remember(value);
        return inner.WriteAsync(value);
    }

    public override Task WriteLineAsync(string? value)
    {
        Remember(value);
        Remember(NewLine);
        return inner.WriteLineAsync(value);
    }

    public override Task WriteLineAsync()
    {
        Remember(NewLine);
        return inner.WriteLineAsync();
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Remember(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Remember(buffer.Span);
        Remember(NewLine);
        return inner.WriteLineAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
