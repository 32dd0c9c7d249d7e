using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>An error response that replaces the handler's answer; a null body sends nothing (Produce with acks=0).</summary>
internal sealed record InjectedAnswer(KafkaWriter? Body);
