using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Checks;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.Checks;

/// <summary>
/// Dead-man's-switch URLs: <c>/api/v1/heartbeats/{token}</c> (success), <c>/start</c>,
/// <c>/fail</c> and <c>/{exitcode}</c>, by GET or POST, like healthchecks.io. The token in the
/// path is the secret, so these routes take no bearer token.
/// </summary>
internal static class HeartbeatEndpoints
{
    public static void MapHeartbeatEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/heartbeats").WithTags("Heartbeats");
        foreach (var method in new[] { "GET", "POST" })
        {
            group.MapMethods("/{token}", [method], (string token, CheckRunner runner, CheckRegistry registry, CancellationToken ct) => Ping(token, HeartbeatPingKind.Success, null, runner, registry, ct))
                .AllowAnonymousAccess(secretInPath: "token").WithSummary("The job succeeded.");
            group.MapMethods("/{token}/{signal}", [method], (string token, string signal, CheckRunner runner, CheckRegistry registry, CancellationToken ct) =>
            {
                if (signal == "start")
                {
                    return Ping(token, HeartbeatPingKind.Start, null, runner, registry, ct);
                }

                if (signal == "fail")
                {
                    return Ping(token, HeartbeatPingKind.Fail, null, runner, registry, ct);
                }

                if (int.TryParse(signal, out var code) && code is >= 0 and <= 255)
                {
                    return Ping(token, code == 0 ? HeartbeatPingKind.Success : HeartbeatPingKind.Fail, code, runner, registry, ct);
                }

                return Task.FromResult<IResult>(Problems.Invalid("signal", $"'{signal}' is not start, fail or an exit code 0-255."));
            }).AllowAnonymousAccess(secretInPath: "token").WithSummary("The job started (/start), failed (/fail) or ended with an exit code (/{0-255}).");
        }
    }

    private static async Task<IResult> Ping(string token, HeartbeatPingKind kind, int? code, CheckRunner runner, CheckRegistry registry, CancellationToken ct)
    {
        await registry.Loaded.WaitAsync(ct);
        var key = await runner.RecordHeartbeatAsync(token, kind, code, ct);
        return key is null
            ? Problems.NotFound("No heartbeat check has this token; copy the URL from 'vigil check list'.")
            : TypedResults.Ok(new { check = key, received = kind.ToString().ToLowerInvariant() });
    }
}
