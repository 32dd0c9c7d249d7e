using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>
/// Every connection answers <paramref name="AfterRequests"/> requests of <paramref name="Apis"/> (null: of any API),
/// then closes, unanswered, when the next one arrives.
/// </summary>
public sealed record DropRule(int AfterRequests, IReadOnlySet<ApiKey>? Apis);
