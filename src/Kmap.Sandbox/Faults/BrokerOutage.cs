namespace Kmap.Sandbox.Faults;

/// <summary>Broker <paramref name="BrokerId"/> stops <paramref name="From"/> after the cluster started and restarts at <paramref name="Until"/> (null: never).</summary>
public sealed record BrokerOutage(int BrokerId, TimeSpan From, TimeSpan? Until);
