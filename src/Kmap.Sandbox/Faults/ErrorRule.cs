using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>Answer <paramref name="Fraction"/> of the requests of <paramref name="Apis"/> with <paramref name="Code"/>, in each API's own response shape.</summary>
public sealed record ErrorRule(double Fraction, ErrorCode Code, IReadOnlySet<ApiKey> Apis);
