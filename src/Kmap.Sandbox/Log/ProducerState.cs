namespace Kmap.Sandbox.Log;

/// <summary>
/// What a partition remembers of one idempotent producer: its epoch and its last five batches (Kafka's
/// limit of in-flight requests per idempotent producer), so that a retried batch — same epoch and first
/// sequence — is acknowledged with its original offset instead of being appended twice. Sequence gaps are
/// accepted rather than answered OUT_OF_ORDER_SEQUENCE_NUMBER as Kafka would: the sandbox is lenient there
/// on purpose, since it never loses a request in flight.
/// </summary>
public sealed class ProducerState
{
    private const int Remembered = 5;
    private readonly (int BaseSequence, long BaseOffset)[] _batches = new (int, long)[Remembered];
    private int _count;
    private int _next;

    public ProducerState(short epoch) => Epoch = epoch;

    public short Epoch { get; private set; }

    /// <summary>The offset a batch starting at <paramref name="baseSequence"/> was stored at, if it is one of the last five.</summary>
    public long? FindDuplicate(short epoch, int baseSequence)
    {
        if (epoch != Epoch)
        {
            return null;
        }
        for (var i = 0; i < _count; i++)
        {
            if (_batches[i].BaseSequence == baseSequence)
            {
                return _batches[i].BaseOffset;
            }
        }
        return null;
    }

    public void Record(short epoch, int baseSequence, long baseOffset)
    {
        if (epoch != Epoch)
        {
            // A new epoch restarts the sequences: what the old one sent says nothing about the new one.
            Epoch = epoch;
            _count = 0;
            _next = 0;
        }
        _batches[_next] = (baseSequence, baseOffset);
        _next = (_next + 1) % Remembered;
        _count = Math.Min(_count + 1, Remembered);
    }
}
