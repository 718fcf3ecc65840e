using Vigil.Core.Audit;

namespace Vigil.Storage.Tests;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_EmptyChainWithoutHead_IsOk() =>
        Assert.True(AuditChain.Verify([], null).Ok);

    [Fact]
    public void Verify_HeadAheadOfChain_ReportsTruncation()
    {
        var chain = Build(3);
        var result = AuditChain.Verify(chain.Take(2), (3, chain[2].Hash));
        Assert.False(result.Ok);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("newest entries were removed", result.Problem);
    }

    [Fact]
    public void Seal_SameInputs_SameHash_AnyFieldChangesIt()
    {
        var draft = new AuditDraft("a", "b", "c", "d", "e", "f");
        var one = AuditChain.Seal(0, AuditChain.GenesisHash, draft, T0);
        Assert.Equal(one.Hash, AuditChain.Seal(0, AuditChain.GenesisHash, draft, T0).Hash);
        var variants = new[]
        {
            draft with { Actor = "x" }, draft with { Action = "x" }, draft with { Target = "x" },
            draft with { Reason = null }, draft with { Before = "" }, draft with { After = "g" },
            // Field boundaries: moving a character between fields must change the hash.
            draft with { Actor = "ab", Action = "" },
        };
        Assert.All(variants, v => Assert.NotEqual(one.Hash, AuditChain.Seal(0, AuditChain.GenesisHash, v, T0).Hash));
        Assert.NotEqual(one.Hash, AuditChain.Seal(0, AuditChain.GenesisHash, draft, T0.AddMilliseconds(1)).Hash);
    }

    private static List<AuditEntry> Build(int n)
    {
        var list = new List<AuditEntry>();
        for (var i = 0; i < n; i++)
        {
            var prev = list.Count == 0 ? (0L, AuditChain.GenesisHash) : (list[^1].Seq, list[^1].Hash);
            list.Add(AuditChain.Seal(prev.Item1, prev.Item2, new AuditDraft("t", $"a{i}", "x"), T0.AddSeconds(i)));
        }

        return list;
    }
}
