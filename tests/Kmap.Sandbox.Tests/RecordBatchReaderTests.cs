using System.Buffers.Binary;
using CsCheck;
using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Record batch validation: good batches pass with their facts read right, and no byte string makes it throw.</summary>
public class RecordBatchReaderTests
{
    private static readonly Gen<List<(byte[]? Key, byte[]? Value, long Timestamp)>> Records =
        Gen.Select(Gen.Byte.Array[0, 20].Null(), Gen.Byte.Array[0, 50].Null(), Gen.Long[0, 4_000_000_000_000], (k, v, t) => (k, v, t)).List[1, 20];

    [Fact]
    public void A_well_formed_batch_validates_with_its_count_and_max_timestamp()
    {
        Records.Sample(records =>
        {
            var validation = RecordBatchReader.Validate(RecordBatchBuilder.Build(records));
            Assert.Equal(ErrorCode.None, validation.Error);
            var batch = Assert.Single(validation.Batches);
            Assert.Equal(records.Count, batch.RecordCount);
            Assert.Equal(records.Max(r => r.Timestamp), batch.MaxTimestamp);
            var positions = RecordBatchReader.RecordPositions(batch.Bytes.Span);
            Assert.Equal(records.Select((r, i) => (i, r.Timestamp)), positions.Select(p => (p.OffsetDelta, p.Timestamp)));
        });
    }

    [Fact]
    public void Two_batches_in_one_request_both_validate()
    {
        var one = RecordBatchBuilder.Build([([1], [2], 10)]);
        var two = RecordBatchBuilder.Build([([3], [4], 20), (null, [5], 30)]);
        var validation = RecordBatchReader.Validate(one.Concat(two).ToArray());
        Assert.Equal(ErrorCode.None, validation.Error);
        Assert.Equal([1, 2], validation.Batches.Select(b => b.RecordCount));
    }

    [Fact]
    public void Any_flipped_byte_after_the_crc_is_caught()
    {
        Gen.Select(Records, Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]).Sample((records, at, flip) =>
        {
            var batch = RecordBatchBuilder.Build(records);
            batch[RecordBatchHeader.AttributesAt + (at % (batch.Length - RecordBatchHeader.AttributesAt))] ^= flip;
            Assert.Equal(ErrorCode.CorruptMessage, RecordBatchReader.Validate(batch).Error);
        });
    }

    [Fact]
    public void Random_bytes_are_refused_without_an_exception()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var validation = RecordBatchReader.Validate(bytes);
            Assert.NotEqual(ErrorCode.None, validation.Error);
        });
    }

    [Fact]
    public void Lying_record_counts_and_lengths_with_a_valid_crc_are_refused_without_an_exception()
    {
        Gen.Select(Records, Gen.Int, Gen.Int[0, 60]).Sample((records, lie, where) =>
        {
            var batch = RecordBatchBuilder.Build(records);
            // Overwrite the record count (or a byte of the records) and re-seal the CRC, so only the structure is wrong.
            if (where < 30)
            {
                BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountAt), lie);
                BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaAt), lie - 1);
            }
            else
            {
                batch[RecordBatchHeader.Size + (Math.Abs(lie % (batch.Length - RecordBatchHeader.Size)))] = (byte)lie;
            }
            BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
            var validation = RecordBatchReader.Validate(batch);
            if (validation.Error == ErrorCode.None)
            {
                // The change happened to keep the batch well formed (e.g. a value byte): then it must still read back.
                Assert.Equal(records.Count, Assert.Single(validation.Batches).RecordCount);
            }
        });
    }

    [Fact]
    public void A_huge_claimed_record_count_allocates_nothing_large()
    {
        var batch = RecordBatchBuilder.Build([([1], [2], 10)]);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountAt), int.MaxValue);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaAt), int.MaxValue - 1);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var validation = RecordBatchReader.Validate(batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ErrorCode.CorruptMessage, validation.Error);
        Assert.True(allocated < 1_000_000, $"validating a 1-record batch that claims 2^31 records allocated {allocated:N0} bytes");
    }

    [Fact]
    public void An_undecodable_compressed_batch_is_one_position_at_its_first_offset()
    {
        var batch = RecordBatchBuilder.Build([([1], [2], 10), ([3], [4], 20)]);
        // Claim lz4 (3): the records are not lz4, and the BCL has no lz4 decoder anyway.
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesAt), 3);
        Assert.Equal([new RecordPosition(0, 20)], RecordBatchReader.RecordPositions(batch));
    }
}
