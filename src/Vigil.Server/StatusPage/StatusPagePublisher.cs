using Microsoft.Extensions.Hosting;
using Vigil.Core.Incidents;
using Vigil.Core.StatusPage;
using Vigil.Core.Storage;
using Vigil.Server.Checks;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Slos;

namespace Vigil.Server.StatusPage;

/// <summary>
/// Keeps the public status page's snapshot current: rebuilds it when a commit raised
/// <see cref="CommitTopics.Incidents"/> or <see cref="CommitTopics.PublicStatus"/> (incidents, public
/// updates, check states, windows), when the config is reloaded, when a listed window starts or ends,
/// at midnight UTC and when the uptime bars are due a refresh — never per request. A rebuild whose
/// content is unchanged keeps the old snapshot, so ETags only change with the content.
/// </summary>
internal sealed class StatusPagePublisher(IVigilStore store, ConfigState config, CheckRegistry checks, TimeProvider time, HealthBoard health,
    StatusPageOptions options, SloEngine slos) : BackgroundService
{
    public const string HealthName = "status-page";

    private readonly UptimeBook _uptime = new(store, options);
    private readonly string _path = config.Current.Config.StatusPage.Path;
    private StatusPageSnapshot? _current;
    private string? _digest;
    private string? _checksKey;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The path the page was mapped at (read at start).</summary>
    public string Path => _path;

    /// <summary>The snapshot being served; null until the first build finished.</summary>
    public StatusPageSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>How many times 90 days of uptime were read (at start, and when the shown services or their checks changed).</summary>
    public int FullUptimeReads => _uptime.FullReads;

    /// <summary>Completes after the next rebuild (whether or not the content changed).</summary>
    public Task NextBuildAsync(CancellationToken ct) => Volatile.Read(ref _published).Task.WaitAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await checks.Loaded.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The registry failed to load: the checks engine reports that; show states as unknown meanwhile.
            health.Failed(HealthName, ex);
        }

        var lastBuild = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var turn = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            // Taken before the build reads, so a commit during the build triggers the next one.
            Task? commit = store.NextCommitAsync(CommitTopics.Incidents | CommitTopics.PublicStatus, turn.Token);
            Task? reload = config.NextReloadAsync(turn.Token);
            DateTimeOffset wakeAt;
            try
            {
                var next = await BuildAsync(stoppingToken);
                lastBuild = time.GetTimestamp();
                health.Succeeded(HealthName);
                wakeAt = next < _uptime.NextRefresh ? next : _uptime.NextRefresh;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(HealthName, ex);
                // A failing build waits: commits arriving meanwhile must not spin it.
                (commit, reload) = (null, null);
                wakeAt = time.GetUtcNow() + TimeSpan.FromSeconds(10);
            }
            finally
            {
                Interlocked.Exchange(ref _published, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            try
            {
                var delay = time.UntilAsync(wakeAt + TimeSpan.FromMilliseconds(1), turn.Token);
                var woke = commit is null ? delay : await Task.WhenAny(delay, commit, reload!);
                await woke;
                if (woke != delay && options.MinRebuildGap > TimeSpan.Zero && time.GetElapsedTime(lastBuild) is var since && since < options.MinRebuildGap)
                {
                    // A burst of commits costs one rebuild: wait out the gap, then read everything at once.
                    await Task.Delay(options.MinRebuildGap - since, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                await turn.CancelAsync();
            }
        }
    }

    /// <summary>Builds the model, renders it when it changed, and returns when the page next changes by the clock alone.</summary>
    internal async Task<DateTimeOffset> BuildAsync(CancellationToken ct)
    {
        var snap = config.Current;
        var cfg = snap.Config;
        var now = time.GetUtcNow();
        var configChanged = _digest != cfg.Digest;
        var shown = cfg.StatusPage.ShownServices(cfg);
        if (configChanged)
        {
            // A reload that changes which checks the shown services have makes the uptime book read 90 days again; other edits do not.
            _checksKey = string.Join('\n', shown.Select(s => s.Id + ":" + string.Join(',', s.Checks.Select(c => c.Id))));
            _digest = cfg.Digest;
        }

        var shownIds = shown.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var uptime = await _uptime.GetAsync(shownIds, _checksKey!, now, ct);
        var byService = checks.Snapshot().Where(c => shownIds.Contains(c.Definition.ServiceId)).ToLookup(c => c.Definition.ServiceId);
        var healthByService = shown.ToDictionary(s => s.Id, s => ServiceHealth.Aggregate(byService[s.Id].ToList()).State, StringComparer.Ordinal);
        var (incidents, updates, windows) = await store.ReadAsync(async (s, c) =>
        {
            var open = await s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Limit: 500), c);
            var recent = await s.Incidents.ListAsync(new IncidentQuery(Since: now - StatusPageBuilder.IncidentHistory, Limit: 500), c);
            var list = open.Concat(recent).Where(i => i.Service is { } svc && shownIds.Contains(svc)).DistinctBy(i => i.Id).ToList();
            var publicUpdates = new Dictionary<long, IReadOnlyList<TimelineEntry>>();
            foreach (var i in list)
            {
                publicUpdates[i.Id] = (await s.Incidents.ListTimelineAsync(i.Id, c)).Where(e => e.Kind == TimelineKinds.PublicUpdate).ToList();
            }

            return (list, publicUpdates, await s.Operations.ListWindowsAsync(now, c));
        }, ct);

        // SLO attainment is the objectives loop's last turn; with show_slos the page also rebuilds every evaluate_every to follow it.
        var model = StatusPageBuilder.Build(new StatusPageInput(cfg, healthByService, uptime, incidents, updates, windows, now,
            cfg.StatusPage.ShowSlos ? slos.Snapshot.Slos : null));
        var json = StatusPageJson.Render(model);
        var current = Current;
        // The JSON holds everything the page shows; the config (public_url in the feed) is the one other input.
        if (current is null || configChanged || !json.AsSpan().SequenceEqual(current.Json.Body))
        {
            var baseUrl = cfg.Vigil.PublicUrl is { } publicUrl ? publicUrl.TrimEnd('/') + _path : null;
            Volatile.Write(ref _current, new StatusPageSnapshot(model, now,
                RenderedResource.Of(StatusPageHtml.Render(model, _path), "text/html; charset=utf-8"),
                RenderedResource.Of(json, "application/json; charset=utf-8"),
                RenderedResource.Of(StatusPageAtom.Render(model, now, _path, baseUrl), "application/atom+xml; charset=utf-8"),
                model.Services.ToDictionary(s => s.Id,
                    s => (RenderedResource.Of(StatusBadge.State(s), "image/svg+xml; charset=utf-8"), RenderedResource.Of(StatusBadge.Uptime(s), "image/svg+xml; charset=utf-8")),
                    StringComparer.Ordinal)));
        }

        var next = StatusPageBuilder.NextChange(model, now);
        var sloTurn = now + cfg.SloDefaults.EvaluateEvery;
        return cfg.StatusPage.ShowSlos && sloTurn < next ? sloTurn : next;
    }
}
