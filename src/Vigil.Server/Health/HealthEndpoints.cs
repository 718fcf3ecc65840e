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

        app.MapGet("/readyz", async Task<IResult> (HttpContext http, IVigilStore store, StoreProbe probe, ConfigState config, HealthBoard health, TimeProvider time) =>
        {
            var report = await ReadinessAsync(store, probe, config, health, time);
            if (!report.Ready)
            {
                http.Response.Headers.RetryAfter = StoreUnavailableHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return TypedResults.Json(report.Body, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymousAccess().WithTags("Health")
          .WithSummary("Ready when the store commits a probe write, the config file is readable and no background loop is failing; 503 with the reasons otherwise.");
    }

    /// <summary>
    /// The readiness verdict. Unauthenticated callers see it, so it names components and reasons but
    /// never config contents: a rejected reload shows only when and how many errors.
    /// </summary>
    /// <summary>How long a failed real write keeps the server not ready when nothing has committed since.</summary>
    private static readonly TimeSpan RecentWrites = TimeSpan.FromSeconds(30);

    internal static async Task<(bool Ready, object Body)> ReadinessAsync(IVigilStore store, StoreProbe probe, ConfigState config, HealthBoard health, TimeProvider time)
    {
        var reasons = new List<string>();
        var storeError = await probe.CheckAsync();

        // A real write that failed recently counts even when the probe fits: on a nearly full disk a
        // small write can succeed where a real batch does not. It clears on the next real commit, or
        // after RecentWrites without another failure.
        if (storeError is null && health.Snapshot().FirstOrDefault(c => c.Name == HealthBoard.Store) is { } writes
            && health.IsFailing(writes) && time.GetUtcNow() - writes.LastFailureAt < RecentWrites)
        {
            storeError = $"writes failed {(int)(time.GetUtcNow() - writes.LastFailureAt!.Value).TotalSeconds} s ago: {writes.LastError}";
        }

        if (storeError is not null)
        {
            reasons.Add("store: " + storeError);
        }

        var snapshot = config.Current;
        var configError = ConfigReadError(snapshot.Path);
        if (configError is not null)
        {
            reasons.Add("config: " + configError);
        }

        var loops = health.Snapshot().Where(c => c.Name != HealthBoard.Store).Select(c => new
        {
            name = c.Name,
            ok = !health.IsFailing(c),
            consecutiveFailures = c.ConsecutiveFailures,
        }).ToList();
        reasons.AddRange(LoopReasons(health));

        var failure = config.LastFailure;
        var ready = reasons.Count == 0;
        return (ready, new
        {
            status = ready ? "ready" : "not_ready",
            reasons,
            store = new { ok = storeError is null, description = store.Description, error = storeError },
            config = new
            {
                ok = configError is null,
                digest = snapshot.Config.Digest,
                error = configError,
                // A rejected reload keeps the server ready on the last good config; the errors themselves
                // are for authenticated callers (vigil status, GET /api/v1/config), as they quote the file.
                lastReloadError = failure is null ? null : new { at = failure.At, errorCount = failure.Errors.Count, see = "vigil config validate or vigil status" },
            },
            loops,
        });
    }

    /// <summary>
    /// Why this node is not ready by what it knows without asking the store: the config file unreadable, background loops failing.
    /// Empty when ready. A cluster node writes these with its heartbeat, so every node's readiness shows in <c>vigil cluster status</c>.
    /// </summary>
    internal static IReadOnlyList<string> LocalReasons(ConfigState config, HealthBoard health) =>
        (ConfigReadError(config.Current.Path) is { } e ? ["config: " + e] : Array.Empty<string>()).Concat(LoopReasons(health)).ToList();

    private static IEnumerable<string> LoopReasons(HealthBoard health) =>
        health.Snapshot().Where(c => c.Name != HealthBoard.Store && health.IsFailing(c))
            .Select(c => $"loop {c.Name}: failed its last {c.ConsecutiveFailures} turns");

    /// <summary>Why the config file cannot be read now, or null. A later reload would fail on it.</summary>
    private static string? ConfigReadError(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"the config file {path} is missing; the last good config still serves, but a restart would fail";
        }
        catch (UnauthorizedAccessException)
        {
            return $"the config file {path} cannot be read (permission denied); the last good config still serves, but a restart would fail";
        }
        catch (IOException ex)
        {
            return $"the config file {path} cannot be read ({ex.Message}); the last good config still serves, but a restart would fail";
        }
    }
}
