namespace Kmap.Kafka.Wire;

/// <summary>A broker as the hand-written requests know it; the id is null for a bootstrap address not yet identified.</summary>
internal sealed record WireBroker(int? Id, string Host, int Port)
{
    public override string ToString() => Id is { } id ? $"broker {Host}:{Port} (id {id})" : $"bootstrap broker {Host}:{Port}";
}
