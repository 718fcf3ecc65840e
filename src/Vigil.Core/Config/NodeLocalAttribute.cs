namespace Vigil.Core.Config;

/// <summary>
/// Marks a config key that may differ from node to node in a cluster (the node's own id): it is left out of the
/// config digest, so two nodes that share one config but set it differently do not show as drift.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NodeLocalAttribute : Attribute;
