using Vigil.Core.Cluster;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

/// <summary>The <c>cluster:</c> section: defaults, its checks, and a node id that never makes two nodes' digests differ.</summary>
public sealed class ClusterConfigTests
{
    private static ConfigLoadResult Load(string cluster) =>
        ConfigLoader.LoadFromString("vigil: { name: acme }\n" + cluster, "vigil.yaml", TestEnvironment.Lookup);

    [Fact]
    public void Defaults_AreNoIdFiveSecondHeartbeatsAndAFifteenSecondLease()
    {
        var c = Load("").Config!.Cluster;
        Assert.Equal((null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)), (c.NodeId, c.HeartbeatInterval, c.LeaseTtl));
    }

    [Fact]
    public void NodeId_IsLeftOutOfTheDigest_ButTheOtherKeysAreIn()
    {
        var a = Load("cluster: { node_id: vigil-a }").Config!;
        var b = Load("cluster: { node_id: vigil-b }").Config!;
        var none = Load("").Config!;
        var ttl = Load("cluster: { node_id: vigil-a, lease_ttl: 30s }").Config!;

        Assert.Equal("vigil-a", a.Cluster.NodeId);
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(a.Digest, none.Digest);
        Assert.Equal(ConfigDigest.Sections(a), ConfigDigest.Sections(b));
        Assert.NotEqual(a.Digest, ttl.Digest);
    }

    [Theory]
    [InlineData("cluster: { node_id: \"vigil a\" }", "cluster.node_id", "not a node id")]
    [InlineData("cluster: { lease_ttl: 2s, heartbeat_interval: 1s }", "cluster.lease_ttl", "at least 3s")]
    [InlineData("cluster: { heartbeat_interval: 20s }", "cluster.heartbeat_interval", "shorter than `lease_ttl` (15s)")]
    public void BadValues_AreRefused_WithTheirPath(string yaml, string path, string message)
    {
        var result = Load(yaml);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web-01.example.com", "ab12cd", "web-01.example.com-ab12cd")]
    [InlineData("WEB_01 (prod)", "ab12cd", "web_01--prod-ab12cd")]
    [InlineData("---", "ab12cd", "vigil-ab12cd")]
    public void FromHost_MakesAValidId(string host, string suffix, string expected)
    {
        var id = NodeIds.FromHost(host, suffix);
        Assert.Equal(expected, id);
        Assert.True(NodeIds.IsValid(id));
        Assert.True(NodeIds.IsValid(NodeIds.FromHost(new string('h', 200), suffix)));
    }
}
