using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Checks;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Checks;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;
using Vigil.Core.Storage;

namespace Vigil.Server.Status;

internal static class StatusEndpoints
{
    public static void MapStatusEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/status", async (ConfigState config, ServerInfo info, TimeProvider time, CheckRegistry checks, IVigilStore store, HealthBoard health,
            Backups.BackupStatusReader backups, CancellationToken ct) => TypedResults.Ok(await FullAsync(config, info, time, checks, store, health, ct, backups)))
            .WithTags("Status").RequireRole(Role.Viewer)
            .WithSummary("The unified summary: version, config, store, uptime, one line per service, open incidents by severity, open action items, "
                + "freezes, maintenance windows and silences in force, and who is on call now on each schedule.");

        api.MapGet("/whoami", (HttpContext http) =>
        {
            var p = http.GetPrincipal();
            return TypedResults.Ok(new { p.Name, Role = p.Role.ToName(), p.TokenId });
        }).WithTags("Status").RequireRole(Role.Viewer).WithSummary("The token this request was made with.");
    }

    /// <summary>Everything <c>vigil status</c> shows: the one view builder of the API route and the console overview.</summary>
    internal static async Task<StatusView> FullAsync(ConfigState config, ServerInfo info, TimeProvider time, CheckRegistry checks, IVigilStore store, HealthBoard health,
        CancellationToken ct, Backups.BackupStatusReader? backups = null)
    {
        var view = Build(config, info, time, checks.Snapshot());
        var now = time.GetUtcNow();
        var definitions = config.Current.Config;
        // One read for the operational state: freezes, windows, silences and overrides as of the same commit.
        // Overrides go back a year, as for /oncall, so the current stretch's start is right.
        var (freezes, windows, silences, overrides) = await store.ReadAsync(async (s, c) => (await s.Operations.ListActiveFreezesAsync(c),
            await s.Operations.ListWindowsAsync(now, c), await s.Operations.ListSilencesAsync(now, c), await s.Paging.ListOverridesAsync(now - TimeSpan.FromDays(366), c)), ct);
        return view with
        {
            Incidents = await IncidentEndpoints.SummaryAsync(store, ct),
            Freezes = freezes.Select(FreezeView.From).ToList(),
            // The store's own health is /readyz's probe write; only /readyz marks it healthy again, so it is not listed here.
            Loops = health.Snapshot().Where(h => h.Name != HealthBoard.Store).Select(h => new LoopHealthView(h.Name, !health.IsFailing(h), h.ConsecutiveFailures, h.LastError, h.LastSuccessAt, h.LastFailureAt)).ToList(),
            Windows = QuietAndOnCall.Windows(definitions, windows, now),
            Silences = QuietAndOnCall.Silences(silences, now),
            OnCall = QuietAndOnCall.OnCall(definitions, overrides, now),
            Backups = backups is null ? null : BackupHealth(await backups.JobsAsync(ct)),
        };
    }

    /// <summary>Backup health per service, from the jobs' health (jobs without a service are left out: they have no rpo to meet).</summary>
    internal static IReadOnlyList<ServiceBackupHealthView> BackupHealth(IReadOnlyList<BackupJobView> jobs) =>
        jobs.Where(j => j.Service is not null).GroupBy(j => j.Service!, StringComparer.Ordinal).Select(g =>
        {
            var newest = g.Where(j => j.NewestVerifiedAt is not null).MaxBy(j => j.NewestVerifiedAt);
            var rpo = g.Select(j => j.RpoSeconds).FirstOrDefault(r => r is not null);
            bool? within = rpo is { } r ? newest?.NewestVerifiedAgeSeconds is { } age && age <= r : null;
            var failure = g.SelectMany(j => j.Failing.Select(f => $"{j.Id}: {f.Key}: {f.Value}"))
                .Concat(g.Where(j => j.LastBackupStatus == "failed").Select(j => $"{j.Id}: the newest backup failed")).FirstOrDefault();
            return new ServiceBackupHealthView(g.Key, g.Select(j => j.Id).ToList(), newest?.NewestVerifiedAt, newest?.NewestVerifiedAgeSeconds, rpo, within,
                g.All(j => j.Healthy) && within != false, failure);
        }).ToList();

    internal static StatusView Build(ConfigState config, ServerInfo info, TimeProvider time, IReadOnlyList<CheckSnapshot> checks)
    {
        var snap = config.Current;
        var c = snap.Config;
        var byService = checks.ToLookup(x => x.Definition.ServiceId);
        var services = c.Services.Select(s =>
        {
            var (state, worst) = ServiceHealth.Aggregate(byService[s.Id].ToList());
            return new ServiceStatusView(s.Id, s.Name, s.Owner, s.Checks.Count, state, s.Public, worst?.Definition.Check.Id,
                worst is null ? null : ReasonNames.ToNameOrNull(worst.Status.Reason), worst?.Status.Since);
        }).ToList();
        var now = time.GetUtcNow();
        return new StatusView(info.Version, c.Vigil.Name, c.Vigil.Environment, snap.Path, c.Digest, snap.LoadedAt, config.LastFailure,
            info.StoreDescription, info.SchemaVersion, info.StartedAt, (long)(now - info.StartedAt).TotalSeconds, services);
    }
}
