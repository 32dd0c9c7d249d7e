namespace Kmap.Sandbox.Cluster;

/// <summary>One broker of the sandbox cluster: its id and the address clients reach it at.</summary>
public sealed record Broker(int Id, string Host, int Port, string? Rack = null);
