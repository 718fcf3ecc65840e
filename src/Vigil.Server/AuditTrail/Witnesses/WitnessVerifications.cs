using Vigil.Core.Audit;
using Vigil.Core.Storage;
using Vigil.Server.Keys;

namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>Reads what a witness holds and compares it with the local chain (<see cref="WitnessVerifier"/>).</summary>
public sealed class WitnessVerifications(IVigilStore store, KeyService keys, WitnessDelivery delivery)
{
    /// <summary>The configured witness ids.</summary>
    public IReadOnlyList<string> Ids => delivery.Witnesses.Select(w => w.Id).ToList();

    /// <summary>Verifies one configured witness by reading it; a webhook cannot be read, and says so.</summary>
    public async Task<WitnessVerification> VerifyConfiguredAsync(string id, CancellationToken ct)
    {
        var witness = delivery.Witnesses.First(w => w.Id == id);
        if (!witness.CanRead)
        {
            return new WitnessVerification(id, false, 0, null,
                $"witness {id} is a webhook: Vigil cannot read back what the receiver stored; verify a copy of it with `vigil audit verify --witness {id} --witness-file FILE`, or on the receiver's side")
            { Unreadable = true };
        }

        IReadOnlyList<AuditCheckpoint> held;
        try
        {
            held = await witness.ReadAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new WitnessVerification(id, false, 0, null, $"witness {id} ({witness.Description}) could not be read: {ex.Message}");
        }

        return await VerifyAsync(id, held, ct);
    }

    /// <summary>Compares <paramref name="held"/> (what a witness holds) with the local chain.</summary>
    public async Task<WitnessVerification> VerifyAsync(string name, IReadOnlyList<AuditCheckpoint> held, CancellationToken ct)
    {
        var wanted = held.Select(c => c.Seq).ToHashSet();
        var upTo = wanted.Count == 0 ? 0 : wanted.Max();
        var (head, hashes) = await store.ReadAsync(async (s, c) =>
        {
            var h = await s.Audit.HeadAsync(c);
            var found = new Dictionary<long, string>();
            long after = 0;
            while (after < upTo)
            {
                var page = await s.Audit.ListAfterAsync(after, 1000, c);
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var e in page.Where(e => wanted.Contains(e.Seq)))
                {
                    found[e.Seq] = e.Hash;
                }

                after = page[^1].Seq;
            }

            return (h, found);
        }, ct);
        return WitnessVerifier.Verify(name, held, head?.Seq ?? 0, seq => hashes.GetValueOrDefault(seq), keys.Ring);
    }
}
