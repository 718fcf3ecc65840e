using Vigil.Core.Cluster;

namespace Vigil.Core.Tests.Checks;

/// <summary>Rendezvous hashing of checks over nodes: deterministic, balanced, and moving only about 1/n of the keys when a node comes or goes.</summary>
public sealed class RendezvousTests
{
    private static readonly string[] Keys = Enumerable.Range(0, 10_000).Select(i => $"svc-{i % 97}/check-{i}").ToArray();

    private static Dictionary<string, string> Assign(IReadOnlyCollection<string> nodes) => Keys.ToDictionary(k => k, k => Rendezvous.OwnerOf(k, nodes)!);

    [Fact]
    public void Owner_IsTheSameWhateverTheOrderOfTheNodes_AndNullWithoutNodes()
    {
        Assert.Equal(Assign(["a", "b", "c"]), Assign(["c", "a", "b"]));
        Assert.Null(Rendezvous.OwnerOf("x/y", []));
        Assert.Equal("a", Rendezvous.OwnerOf("x/y", ["a"]));
    }

    [Fact]
    public void Hash_IsStable_AcrossProcessesAndBuilds()
    {
        // Fixed values: a change here moves every check of every running cluster at the next upgrade.
        Assert.Equal(0x83abb7fc872240c5UL, Rendezvous.Hash("vigil"));
        Assert.Equal(48, Rendezvous.ShardOf("edge-api/health"));
        Assert.Equal("shard/07", Rendezvous.LeaseName(7));
    }

    [Fact]
    public void Spread_OverThreeNodes_IsBalanced_AndShardsAreAllUsed()
    {
        var counts = Assign(["n1", "n2", "n3"]).Values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts.Values, c => Assert.InRange(c, 3_000, 3_700));
        Assert.Equal(Rendezvous.Shards, Keys.Select(Rendezvous.ShardOf).Distinct().Count());
        var perShard = Keys.GroupBy(Rendezvous.ShardOf).Select(g => g.Count()).ToList();
        Assert.All(perShard, c => Assert.InRange(c, 100, 220));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void AddingANode_MovesAbout1OverN_AllToTheNewNode(int before)
    {
        var nodes = Enumerable.Range(1, before).Select(i => "node-" + i).ToList();
        var old = Assign(nodes);
        var now = Assign([.. nodes, "node-new"]);
        var moved = Keys.Where(k => old[k] != now[k]).ToList();

        Assert.All(moved, k => Assert.Equal("node-new", now[k]));
        var expected = Keys.Length / (before + 1.0);
        Assert.InRange(moved.Count, expected * 0.85, expected * 1.15);
    }

    [Fact]
    public void RemovingANode_MovesOnlyItsKeys()
    {
        var old = Assign(["a", "b", "c", "d"]);
        var now = Assign(["a", "b", "d"]);
        var moved = Keys.Where(k => old[k] != now[k]).ToList();

        Assert.All(moved, k => Assert.Equal("c", old[k]));
        Assert.Equal(old.Values.Count(v => v == "c"), moved.Count);
        Assert.InRange(moved.Count, 2_100, 2_900);
        var shards = Enumerable.Range(0, Rendezvous.Shards).ToList();
        Assert.All(shards.Where(s => Rendezvous.OwnerOf(s, ["a", "b", "c", "d"]) != "c"),
            s => Assert.Equal(Rendezvous.OwnerOf(s, ["a", "b", "c", "d"]), Rendezvous.OwnerOf(s, ["a", "b", "d"])));
    }

    [Fact]
    public void ShardsOf_PartitionsEveryShardOverTheNodes_AndANodeNotAmongThemWinsNone()
    {
        string[] nodes = ["node-a", "node-b", "node-c"];
        var each = nodes.Select(n => Rendezvous.ShardsOf(n, nodes)).ToList();

        Assert.Equal(Enumerable.Range(0, Rendezvous.Shards), each.SelectMany(s => s).Order());
        Assert.All(each, s => Assert.InRange(s.Count, 10, 32));
        Assert.Equal(Enumerable.Range(0, Rendezvous.Shards), Rendezvous.ShardsOf("solo", ["solo"]));
        Assert.Empty(Rendezvous.ShardsOf("node-d", nodes));
    }
}
