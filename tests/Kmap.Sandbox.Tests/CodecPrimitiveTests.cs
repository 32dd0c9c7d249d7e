using CsCheck;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests;

public class CodecPrimitiveTests
{
    [Fact]
    public void Varints_round_trip_for_every_int()
    {
        Gen.Int.Sample(value =>
        {
            var writer = new KafkaWriter();
            writer.Varint(value);
            Assert.Equal(value, new KafkaReader(writer.ToArray()).Varint());
        });
    }

    [Fact]
    public void Varlongs_round_trip_for_every_long()
    {
        Gen.Long.Sample(value =>
        {
            var writer = new KafkaWriter();
            writer.Varlong(value);
            Assert.Equal(value, new KafkaReader(writer.ToArray()).Varlong());
        });
    }

    [Fact]
    public void Strings_round_trip_in_classic_and_compact_forms()
    {
        Gen.Select(Gen.String, Gen.Bool).Sample((value, flexible) =>
        {
            var writer = new KafkaWriter(flexible);
            writer.NullableString(value);
            writer.String(value);
            var reader = new KafkaReader(writer.ToArray(), flexible);
            Assert.Equal(value, reader.NullableString());
            Assert.Equal(value, reader.String());
            Assert.Equal(0, reader.Remaining);
        });
    }

    [Fact]
    public void Null_string_and_null_bytes_stay_null()
    {
        foreach (var flexible in new[] { false, true })
        {
            var writer = new KafkaWriter(flexible);
            writer.NullableString(null);
            writer.NullableBytes(null);
            var reader = new KafkaReader(writer.ToArray(), flexible);
            Assert.Null(reader.NullableString());
            Assert.Null(reader.NullableBytes());
        }
    }

    [Fact]
    public void A_lying_array_length_is_a_protocol_error_not_an_allocation()
    {
        var writer = new KafkaWriter();
        writer.Int32(int.MaxValue);
        var reader = new KafkaReader(writer.ToArray());
        Assert.Throws<ProtocolException>(() => reader.Array(r => r.Int32()));
    }

    [Fact]
    public void A_truncated_string_is_a_protocol_error()
    {
        var writer = new KafkaWriter();
        writer.Int16(10);
        writer.RawBytes("abc"u8);
        Assert.Throws<ProtocolException>(() => new KafkaReader(writer.ToArray()).String());
    }

    [Fact]
    public void Uuids_round_trip_big_endian()
    {
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var writer = new KafkaWriter();
        writer.Uuid(id);
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff"), writer.ToArray());
        Assert.Equal(id, new KafkaReader(writer.ToArray()).Uuid());
    }
}
