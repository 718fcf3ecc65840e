using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Slos;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Http;

namespace Vigil.Server.Slos;

/// <summary>Read-only SLO routes: the objectives loop's last evaluation, and per-day attainment over a window.</summary>
internal static class SloEndpoints
{
    public static void MapSloEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/slos", async Task<IResult> (string? service, SloEngine engine, ConfigState config, CancellationToken ct) =>
        {
            var cfg = config.Current.Config;
            if (service is not null && !cfg.Services.Any(s => s.Id == service))
            {
                return Problems.NotFound($"No service '{service}'. Services: {string.Join(", ", cfg.Services.Select(s => s.Id))}.");
            }

            var snapshot = await CurrentAsync(engine, config, ct);
            return TypedResults.Ok(snapshot.Slos.Where(s => service is null || s.Slo.Service == service).Select(SloView.From).ToList());
        }).WithTags("SLOs").RequireRole(Role.Viewer).Produces<List<SloView>>()
          .WithSummary("Every SLO (?service=S: of one service): objective, window, attainment, error budget used and left, time left and exhaustion date at the current burn rate, burn rates over 1h/6h/1d/3d, alerts and state.");

        api.MapGet("/slos/{id}", async Task<IResult> (string id, SloEngine engine, ConfigState config, CancellationToken ct) =>
        {
            await CurrentAsync(engine, config, ct);
            var detail = await engine.ReadAsync(snapshot =>
            {
                if (snapshot.Slos.FirstOrDefault(s => s.Slo.Id == id) is not { } status)
                {
                    return null;
                }

                var days = status.Slo.FromHistory && snapshot.Series.TryGetValue(id, out var series) ? SloMath.History(status.Slo, series, status.At) : [];
                return new SloDetailView(SloView.From(status), days.Select(SloDayView.Of).ToList());
            }, ct);
            if (detail is null)
            {
                var ids = SloDefinitions.Build(config.Current.Config).Select(d => d.Id).ToList();
                return Problems.NotFound(ids.Count == 0
                    ? $"No SLO '{id}': no SLOs are configured (services[].slos in the config; see docs/slos.md)."
                    : $"No SLO '{id}'. SLOs: {string.Join(", ", ids)} (vigil slo list).");
            }

            return TypedResults.Ok(detail);
        }).WithTags("SLOs").RequireRole(Role.Viewer).Produces<SloDetailView>()
          .WithSummary("One SLO as in /slos, with its attainment per UTC day over the window (oldest first).");
    }

    /// <summary>
    /// The last evaluation, or a new one when none has finished yet or the configured SLOs changed since
    /// (a reload), so an answer never lists SLOs that are gone or misses new ones.
    /// </summary>
    internal static async Task<SloSnapshot> CurrentAsync(SloEngine engine, ConfigState config, CancellationToken ct)
    {
        var snapshot = engine.Snapshot;
        var ids = SloDefinitions.Build(config.Current.Config).Select(d => d.Id);
        if (snapshot.At == DateTimeOffset.MinValue || !ids.SequenceEqual(snapshot.Slos.Select(s => s.Slo.Id), StringComparer.Ordinal))
        {
            snapshot = await engine.EvaluateNowAsync(ct);
        }

        return snapshot;
    }
}
