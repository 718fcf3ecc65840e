using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Http;

namespace Vigil.Server.Checks;

internal static class CheckEndpoints
{
    public static void MapCheckEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/checks").WithTags("Checks");

        group.MapGet("/", async Task<IResult> (string? service, HttpContext http, CheckRegistry registry, ConfigState config, CancellationToken ct) =>
        {
            await registry.Loaded.WaitAsync(ct);
            var all = registry.Snapshot();
            if (service is not null && !all.Any(s => s.Definition.ServiceId == service))
            {
                return UnknownService(service, config);
            }

            return TypedResults.Ok(all.Where(s => service is null || s.Definition.ServiceId == service)
                .Select(s => Visible(CheckView.From(s, PublicBase(config, http.Request)), http)).ToList());
        }).RequireRole(Role.Viewer).WithSummary("Every check with its state, reason, since when and last result.");

        group.MapGet("/stats", (CheckScheduler scheduler) =>
        {
            var st = scheduler.Stats;
            return TypedResults.Ok(new CheckEngineStatsView(st.Checks, st.Probes, st.Skipped, st.LagP50.TotalMilliseconds, st.LagP99.TotalMilliseconds));
        }).RequireRole(Role.Viewer).WithSummary("Engine counters since start: checks, probes run, runs skipped (still in flight), schedule lag p50/p99 (ms, recent runs).");

        group.MapPost("/probe", (string? target, CheckRegistry registry, CheckRunner runner, ConfigState config, CancellationToken ct) =>
            ProbeAsync(target, registry, runner, config, ct))
            .RequireRole(Role.Responder).WithSummary("Run the matching checks now (?target=SERVICE or SERVICE/CHECK) and return the results; state is not changed.");

        group.MapPost("/{service}/{check}/pause", (string service, string check, HttpContext http, CheckRegistry registry, ConfigState config, CancellationToken ct) =>
            SetPausedAsync(service, check, true, http, registry, config, ct))
            .RequireRole(Role.Operator).Accepts<PauseRequest>("application/json").Produces<CheckView>()
            .WithSummary("Pause a check: it is not probed and never alerts until resumed. A reason is required.");

        group.MapPost("/{service}/{check}/resume", (string service, string check, HttpContext http, CheckRegistry registry, ConfigState config, CancellationToken ct) =>
            SetPausedAsync(service, check, false, http, registry, config, ct))
            .RequireRole(Role.Operator).Accepts<PauseRequest>("application/json").Produces<CheckView>()
            .WithSummary("Resume a paused check; counting starts afresh.");

        group.MapGet("/{service}/{check}/history", async Task<IResult> (string service, string check, string? since, IVigilStore store, ConfigState config, TimeProvider time, CancellationToken ct) =>
        {
            var key = $"{service}/{check}";
            var window = TimeSpan.FromHours(24);
            if (since is not null && (!Duration.TryParse(since, out window) || window <= TimeSpan.Zero))
            {
                return Problems.Invalid("since", $"'{since}' is not a positive duration such as 1h, 24h or 7d.");
            }

            if (!CheckDefinition.FromConfig(config.Current.Config).Any(d => d.Key == key)
                && (await store.ReadAsync((s, c) => s.Checks.ListChangesAsync(key, DateTimeOffset.MinValue, 1, c), ct)).Count == 0)
            {
                return Problems.NotFound($"No check '{key}'; see 'vigil check list'.");
            }

            var from = time.GetUtcNow() - window;
            var (changes, hours) = await store.ReadAsync(async (s, c) =>
                (await s.Checks.ListChangesAsync(key, from, 1000, c), await s.Checks.ListHoursAsync(key, from, false, c)), ct);
            return TypedResults.Ok(new CheckHistoryView(key, from,
                changes.Select(x => new StateChangeView(x.At, ReasonNames.ToName(x.From), ReasonNames.ToName(x.To),
                    ReasonNames.ToNameOrNull(x.Reason), x.Message, x.Flapping)).ToList(),
                hours.Select(h => new HourView(h.Hour, h.Count, h.Failures, h.FailuresByReason.ToDictionary(kv => ReasonNames.ToName(kv.Key), kv => kv.Value),
                    h.MinLatencyMs, h.AvgLatencyMs, h.MaxLatencyMs, h.P95LatencyMs,
                    h.Minutes.Select(m => new MinuteView(m.Minute, m.Count, m.Failures, m.AvgLatencyMs, m.MaxLatencyMs)).ToList())).ToList()));
        }).RequireRole(Role.Viewer).WithSummary("State changes and hourly/minute rollups of a check (?since=24h).");
    }

    /// <summary>Runs the matching checks now (?target=SERVICE or SERVICE/CHECK): the one code path of the API route and the console.</summary>
    internal static async Task<IResult> ProbeAsync(string? target, CheckRegistry registry, CheckRunner runner, ConfigState config, CancellationToken ct)
    {
        await registry.Loaded.WaitAsync(ct);
        var defs = CheckDefinition.FromConfig(config.Current.Config);
        Func<CheckDefinition, bool> match = target switch
        {
            null or "" => _ => true,
            _ when target.Contains('/', StringComparison.Ordinal) => d => d.Key == target,
            _ => d => d.ServiceId == target,
        };
        if (!defs.Any(match))
        {
            return Problems.NotFound($"No check matches '{target}'. Use SERVICE or SERVICE/CHECK; see 'vigil check list'.");
        }

        var results = await runner.ProbeNowAsync(match, ct);
        return TypedResults.Ok(results.Select(r => new ProbeResultView(r.Definition.Key, ReasonNames.ToName(r.Result.State),
            ReasonNames.ToNameOrNull(r.Result.Reason),
            (long)r.Result.Latency.TotalMilliseconds, r.Result.Message, r.Result.Value)).ToList());
    }

    private static async Task<IResult> SetPausedAsync(string service, string check, bool pause, HttpContext http, CheckRegistry registry, ConfigState config, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new PauseRequest(null), ct);
        if (error is not null)
        {
            return error;
        }

        return await SetPausedAsync($"{service}/{check}", pause, body!.Reason, http.GetPrincipal(), PublicBase(config, http.Request), registry, ct);
    }

    /// <summary>Pauses or resumes a check: the one code path of the API routes and the console.</summary>
    internal static async Task<IResult> SetPausedAsync(string key, bool pause, string? reason, Principal principal, string publicBase, CheckRegistry registry, CancellationToken ct)
    {
        if (pause && string.IsNullOrWhiteSpace(reason))
        {
            return Problems.Invalid("reason", "Say why the check is paused (--reason), so the next on-call knows.");
        }

        await registry.Loaded.WaitAsync(ct);
        var snapshot = await registry.SetPausedAsync(key, pause, principal.Name, reason, ct);
        return snapshot is null
            ? Problems.NotFound($"No check '{key}'; see 'vigil check list'.")
            : TypedResults.Ok(Visible(CheckView.From(snapshot, publicBase), principal));
    }

    /// <summary>
    /// A heartbeat URL is a credential that can mark a job healthy: only operators and admins see it.
    /// </summary>
    private static CheckView Visible(CheckView view, HttpContext http) => Visible(view, http.GetPrincipal());

    /// <summary>Also what the console shows a principal.</summary>
    internal static CheckView Visible(CheckView view, Principal principal) =>
        principal.Role.Satisfies(Role.Operator) ? view : view with { HeartbeatUrl = null };

    /// <summary>Where clients reach Vigil: <c>vigil.public_url</c>, else the address this request came to.</summary>
    internal static string PublicBase(ConfigState config, HttpRequest request) =>
        config.Current.Config.Vigil.PublicUrl ?? $"{request.Scheme}://{request.Host}";

    private static IResult UnknownService(string service, ConfigState config) =>
        Problems.NotFound($"No service '{service}'. Services: {string.Join(", ", config.Current.Config.Services.Select(s => s.Id))}.");
}
