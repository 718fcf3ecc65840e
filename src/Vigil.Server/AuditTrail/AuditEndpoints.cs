using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Storage;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.AuditTrail;

internal static class AuditEndpoints
{
    public const int MaxPage = 1000;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit").RequireRole(Role.Viewer);

        group.MapGet("/", async Task<IResult> (IVigilStore store, long? after, int? limit, int? tail, CancellationToken ct) =>
        {
            if (tail is not null && after is not null)
            {
                return Problems.Invalid("tail", "Use either ?tail=N (the newest N entries) or ?after=SEQ (entries after SEQ), not both.");
            }

            var size = tail ?? limit ?? 100;
            if (size is < 1 or > MaxPage)
            {
                return Problems.Invalid(tail is null ? "limit" : "tail", $"Ask for 1 to {MaxPage} entries (got {size}).");
            }

            IReadOnlyList<AuditEntry> entries = tail is not null || after is null
                ? await store.ReadAsync((s, c) => s.Audit.TailAsync(size, c), ct)
                : await store.ReadAsync((s, c) => s.Audit.ListAfterAsync(after.Value, size, c), ct);
            return TypedResults.Ok(entries);
        }).WithSummary("Audit entries, oldest first: the newest ?tail=N, or those after ?after=SEQ (paged by ?limit).");

        group.MapGet("/verify", async (IVigilStore store, Keys.KeyService keys, CancellationToken ct) =>
            TypedResults.Ok(await store.ReadAsync((s, c) => s.Audit.VerifyAsync(keys.Ring, c), ct)))
            .WithSummary("Walk the whole hash chain and check every signed checkpoint; names the first entry or checkpoint that does not fit.");
    }
}
