using Vigil.Core.Audit;
using Vigil.Core.Signing;

namespace Vigil.Core.Tests.Audit;

public sealed class AuditVerifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static List<AuditEntry> Chain(int count, Func<int, string?>? reason = null)
    {
        var entries = new List<AuditEntry>();
        var prev = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var e = AuditChain.Seal(i - 1, prev, new AuditDraft("admin", "token.create", $"token/{i}", reason?.Invoke(i)), T0.AddSeconds(i));
            entries.Add(e);
            prev = e.Hash;
        }

        return entries;
    }

    private static AuditCheckpoint Checkpoint(SigningKey key, AuditEntry e, DateTimeOffset at)
    {
        var sig = EcdsaKeys.Sign(key, SigningPurpose.AuditCheckpoint, AuditCheckpoint.Payload(e.Seq, e.Hash, at));
        return new AuditCheckpoint(e.Seq, e.Hash, at, sig.KeyId, sig.Value);
    }

    [Fact]
    public void IntactChain_WithCheckpoints_VerifiesAndCountsTheUnsignedTail()
    {
        var key = EcdsaKeys.Generate(T0);
        var chain = Chain(10);
        var cps = new[] { Checkpoint(key, chain[3], T0.AddMinutes(1)), Checkpoint(key, chain[7], T0.AddMinutes(2)) };

        var result = AuditVerifier.Verify(chain, (10, chain[^1].Hash), cps, new KeyRing([key]));

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(2, result.Checkpoints);
        Assert.Equal(8, result.SignedThrough);
        Assert.Equal(2, result.Unsigned);
    }

    [Fact]
    public void RehashedChain_ChainAloneVerifies_CheckpointCatchesIt()
    {
        var key = EcdsaKeys.Generate(T0);
        var original = Chain(10);
        var cps = new[] { Checkpoint(key, original[2], T0.AddMinutes(1)), Checkpoint(key, original[7], T0.AddMinutes(2)) };
        // The attacker rewrites entry #5 and recomputes every hash after it: a consistent chain.
        var forged = Chain(10, i => i == 5 ? "nothing happened" : null);

        Assert.True(AuditChain.Verify(forged, (10, forged[^1].Hash)).Ok);
        var result = AuditVerifier.Verify(forged, (10, forged[^1].Hash), cps, new KeyRing([key]));

        Assert.False(result.Ok);
        Assert.Equal(8, result.BrokenAt);
        Assert.Equal(8, result.BadCheckpoint);
        Assert.Equal(3, result.SignedThrough);
        Assert.Contains("checkpoint #8", result.Problem, StringComparison.Ordinal);
        Assert.Contains("entry #4", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ForgedSignature_UnknownKey_OrOutsideWindow_Reported()
    {
        var key = EcdsaKeys.Generate(T0);
        var attacker = EcdsaKeys.Generate(T0);
        var chain = Chain(5);

        var forged = AuditVerifier.Verify(chain, null, [Checkpoint(attacker, chain[4], T0.AddMinutes(1))], new KeyRing([key]));
        Assert.False(forged.Ok);
        Assert.Contains("not in the key ring", forged.Problem, StringComparison.Ordinal);

        var retired = new KeyRing([key with { RetiredAt = T0.AddSeconds(30) }]);
        var late = AuditVerifier.Verify(chain, null, [Checkpoint(key, chain[4], T0.AddMinutes(1))], retired);
        Assert.False(late.Ok);
        Assert.Contains("outside the validity window", late.Problem, StringComparison.Ordinal);

        var tampered = Checkpoint(key, chain[4], T0.AddMinutes(1)) with { At = T0.AddMinutes(2) };
        Assert.Contains("does not match key", AuditVerifier.Verify(chain, null, [tampered], new KeyRing([key])).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NewestEntriesRemovedAndHeadMovedBack_CheckpointBeyondTheEnd_Reported()
    {
        var key = EcdsaKeys.Generate(T0);
        var chain = Chain(10);
        var cps = new[] { Checkpoint(key, chain[9], T0.AddMinutes(1)) };
        var cut = chain.Take(7).ToList();

        var result = AuditVerifier.Verify(cut, (7, cut[^1].Hash), cps, new KeyRing([key]));

        Assert.False(result.Ok);
        Assert.Equal(8, result.BrokenAt);
        Assert.Contains("newest entries were removed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RotatedKeys_OldAndNewCheckpointsVerify()
    {
        var first = EcdsaKeys.Generate(T0);
        var chain = Chain(10);
        var cp1 = Checkpoint(first, chain[4], T0.AddMinutes(1));
        var second = EcdsaKeys.Generate(T0.AddMinutes(5));
        var ring = KeyRules.Rotate(new KeyRing([first]), second, T0.AddMinutes(5));
        var cp2 = Checkpoint(second, chain[9], T0.AddMinutes(6));

        var result = AuditVerifier.Verify(chain, null, [cp1, cp2], ring);

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(2, result.Checkpoints);
    }
}
