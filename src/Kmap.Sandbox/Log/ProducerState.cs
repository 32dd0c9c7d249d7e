namespace Kmap.Sandbox.Log;

/// <summary>
/// What a partition remembers of one idempotent producer: its epoch and its last batch, so that a
/// retried batch (same first sequence) is acknowledged with its original offset instead of being
/// appended twice. Sequence gaps are accepted, not rejected with OUT_OF_ORDER_SEQUENCE_NUMBER as Kafka
/// would: the sandbox is lenient there on purpose, since it never loses a request in flight.
/// </summary>
public sealed record ProducerState(short Epoch, int LastBaseSequence, long LastBaseOffset);
