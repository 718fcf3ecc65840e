using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.AuditTrail.Witnesses;

internal static class WitnessEndpoints
{
    /// <summary>A witness copy may hold years of checkpoints (one a minute is ~130 MB a year): more than the usual body limit.</summary>
    public const long MaxCopyBytes = 512L * 1024 * 1024;

    public static void MapWitnessEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit/witnesses").WithTags("Audit");

        group.MapGet("/", (WitnessDelivery delivery) => TypedResults.Ok(delivery.Status()))
            .RequireRole(Role.Viewer)
            .WithSummary("Each configured audit witness: what it accepted last, what is pending, and why delivery fails while it does.");

        group.MapGet("/verify", async Task<IResult> (string? witness, WitnessVerifications verifications, CancellationToken ct) =>
        {
            var ids = verifications.Ids;
            if (ids.Count == 0)
            {
                return Problems.Invalid("witness", "No audit witnesses are configured; add them under audit.witnesses in the config (see docs/security.md).");
            }

            if (string.IsNullOrWhiteSpace(witness))
            {
                return Problems.Invalid("witness", $"Name a witness (?witness=ID) or ask for all (?witness=all); configured: {string.Join(", ", ids)}.");
            }

            if (witness != "all" && !ids.Contains(witness))
            {
                return Problems.Invalid("witness", $"Unknown witness `{witness}`; configured: {string.Join(", ", ids)}.");
            }

            var results = new List<WitnessVerification>();
            foreach (var id in witness == "all" ? ids : [witness])
            {
                results.Add(await verifications.VerifyConfiguredAsync(id, ct));
            }

            return TypedResults.Ok(results);
        }).RequireRole(Role.Viewer)
          .WithSummary("Reads what each named witness holds (?witness=ID or all) and compares it with the local chain: every witnessed checkpoint must verify and match, and the chain must reach the newest.");

        group.MapPost("/verify-copy", async Task<IResult> (HttpContext http, string? name, WitnessVerifications verifications, CancellationToken ct) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxCopyBytes;
            }

            var held = new List<AuditCheckpoint>();
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var n = 0;
            try
            {
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    n++;
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }

                    if (WitnessRecord.TryParse(line, out var problem) is not { } cp)
                    {
                        return Problems.Invalid("body", $"Line {n} of the witness copy is not a checkpoint record: {problem}. Send the receiver's records as they were delivered, one JSON object per line.");
                    }

                    held.Add(cp);
                }
            }
            catch (BadHttpRequestException ex)
            {
                return Problems.Status(ex.StatusCode, "The request is not valid", $"The witness copy could not be read: {ex.Message} (at most {MaxCopyBytes / 1024 / 1024} MB).");
            }

            return TypedResults.Ok(await verifications.VerifyAsync(string.IsNullOrWhiteSpace(name) ? "copy" : name, held, ct));
        }).RequireRole(Role.Responder)
          .WithSummary("Compares a copy of what a witness holds (the body: one JSON checkpoint record per line, as delivered) with the local chain; for webhook witnesses, whose receiver keeps the records.");
    }
}
