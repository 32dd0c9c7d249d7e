using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>
/// Hold <paramref name="Fraction"/> of the requests of <paramref name="Apis"/> for <paramref name="Delay"/> before
/// answering them; a null delay holds them until <see cref="FaultInjector.ReleaseStalls"/> or the broker stops.
/// </summary>
public sealed record StallRule(double Fraction, TimeSpan? Delay, IReadOnlySet<ApiKey> Apis);
