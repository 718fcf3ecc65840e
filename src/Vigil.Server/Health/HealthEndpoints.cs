using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Storage;
using Vigil.Server.Auth;
using Vigil.Server.Config;

namespace Vigil.Server.Health;

internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }))
            .AllowAnonymousAccess().WithTags("Health").WithSummary("The process is up.");

        app.MapGet("/readyz", async Task<IResult> (IVigilStore store, ConfigState config, CancellationToken ct) =>
        {
            var storeOk = await store.PingAsync(ct);
            var failure = config.LastFailure;
            var body = new
            {
                status = storeOk ? "ready" : "not_ready",
                store = new { ok = storeOk, description = store.Description },
                config = new
                {
                    ok = true,
                    digest = config.Current.Config.Digest,
                    // Readiness stays green on a rejected reload (the last good config serves), but says so.
                    lastReloadError = failure is null ? null : new { at = failure.At, errors = failure.Errors },
                },
            };
            return storeOk ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymousAccess().WithTags("Health").WithSummary("The store answers and a config is loaded; shows a rejected reload.");
    }
}
