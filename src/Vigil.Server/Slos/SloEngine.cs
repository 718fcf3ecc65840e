using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Slos;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Incidents;

namespace Vigil.Server.Slos;

/// <summary>
/// The objectives loop: every <c>slo_defaults.evaluate_every</c> it reads new check history into each
/// SLO's series (or asks Prometheus, for a <c>prometheus</c> SLI, through <see cref="PrometheusSliReader"/>), evaluates budgets and burn-rate alerts (<see cref="SloEvaluation"/>,
/// <see cref="BurnAlerts"/>), fires or resolves <c>slo/&lt;id&gt;</c> signals, and measures every
/// service's <c>rpo</c> against the newest recovery point (<see cref="RecoveryObjectives"/>), firing
/// <c>rpo/&lt;service&gt;</c>. The first turn runs at start. Reports to the health board as <c>slos</c>.
/// The decisions are Core's; this class reads, calls them, and submits what they say.
/// </summary>
public sealed partial class SloEngine(
    ConfigState config,
    IVigilStore store,
    IntakeQueue intake,
    IncidentPolicies policies,
    IEnumerable<IRecoveryPointSource> recoverySources,
    PrometheusSliReader prometheus,
    HealthBoard health,
    TimeProvider time,
    ILogger<SloEngine> logger) : BackgroundService
{
    public const string HealthName = "slos";
    private const string Actor = "slo-engine";

    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RpoTracked> _rpo = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _turn = new(1, 1);
    private volatile SloSnapshot _snapshot = SloSnapshot.Empty;

    /// <summary>The SLOs and RPOs as of the last turn.</summary>
    public SloSnapshot Snapshot => _snapshot;

    /// <summary>Completes after the next full turn (tests; the gate on a fresh start).</summary>
    public async Task<SloSnapshot> EvaluateNowAsync(CancellationToken ct)
    {
        await TurnAsync(ct);
        return _snapshot;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the last turn's snapshot between turns, so it may read the
    /// snapshot's series (a turn rewrites them); evaluates first when no turn has finished yet. Read-only:
    /// for the API, CLI, reports and status page.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<SloSnapshot, T> read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (_snapshot.At == DateTimeOffset.MinValue)
        {
            await TurnAsync(ct);
        }

        await _turn.WaitAsync(ct);
        try
        {
            return read(_snapshot);
        }
        finally
        {
            _turn.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The Vigil.Slo gauges (budget remaining, burn rates) read the last turn's statuses.
        using var metrics = SloMetrics.Register(() => _snapshot.Slos);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TurnAsync(stoppingToken);
                health.Succeeded(HealthName);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed(HealthName, ex);
                LogTurnFailed(logger, ex);
            }

            try
            {
                await Task.Delay(config.Current.Config.SloDefaults.EvaluateEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One turn: refresh, evaluate, signal. Turns never overlap.</summary>
    public async Task TurnAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            var cfg = config.Current.Config;
            var now = time.GetUtcNow();
            var definitions = SloDefinitions.Build(cfg);
            var commands = new List<IntakeCommand>();

            // SLOs removed or redefined since the last turn: end their signal, forget their series.
            var byId = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
            foreach (var (id, tracked) in _tracked.ToList())
            {
                if (!byId.TryGetValue(id, out var d) || Fingerprint(d) != tracked.Fingerprint)
                {
                    if (tracked.Alert is { Firing: true } && !byId.ContainsKey(id))
                    {
                        commands.Add(Apply(tracked.Definition, SignalStatus.Resolved, tracked.Definition.TicketSeverity, $"SLO {id} is no longer configured", null, now));
                    }

                    _tracked.Remove(id);
                }
            }

            // Prometheus SLIs are asked all at once, so one slow Prometheus costs a turn its timeout once.
            var reads = definitions.Where(d => !d.FromHistory).ToDictionary(d => d.Id, d => prometheus.ReadAsync(d, now, ct), StringComparer.Ordinal);
            var statuses = new List<SloStatus>(definitions.Count);
            foreach (var slo in definitions)
            {
                if (!_tracked.TryGetValue(slo.Id, out var tracked))
                {
                    _tracked[slo.Id] = tracked = new Tracked(slo, Fingerprint(slo));
                }
                else
                {
                    tracked.Definition = slo;
                }

                ISliEvents events = tracked.Series;
                if (slo.FromHistory)
                {
                    await RefreshAsync(tracked, now, ct);
                }
                else
                {
                    var (windows, error) = await reads[slo.Id];
                    if (windows is null)
                    {
                        // Unknown: no budget, and the signal stays as it was (firing or not) until Prometheus answers.
                        if (tracked.Unknown != error)
                        {
                            LogPrometheusFailed(logger, slo.Id, error!);
                        }

                        tracked.Unknown = error;
                        statuses.Add(SloStatus.Unknown(slo, now, error!));
                        continue;
                    }

                    if (tracked.Unknown is not null)
                    {
                        LogPrometheusRecovered(logger, slo.Id);
                        tracked.Unknown = null;
                    }

                    events = windows;
                }

                var status = SloEvaluation.Evaluate(slo, events, now);
                statuses.Add(status);

                var decision = BurnAlerts.Decide(slo, status.Measures, status.Budget!, tracked.Alert);
                tracked.Alert = decision.State;
                if (decision.Action == SloSignalAction.Fire)
                {
                    LogSloFiring(logger, slo.Id, decision.Severity!, decision.Summary);
                    commands.Add(Apply(slo, SignalStatus.Firing, decision.Severity!, decision.Summary, decision.Title, now));
                }
                else if (decision.Action == SloSignalAction.Resolve)
                {
                    commands.Add(Apply(slo, SignalStatus.Resolved, slo.TicketSeverity, decision.Summary, null, now));
                }
            }

            var rpos = await EvaluateRpoAsync(cfg, now, commands, ct);
            if (commands.Count > 0)
            {
                await intake.SubmitAsync(commands, ct);
            }

            _snapshot = new SloSnapshot(now, statuses, rpos, _tracked.ToDictionary(kv => kv.Key, kv => kv.Value.Series, StringComparer.Ordinal));
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task RefreshAsync(Tracked tracked, DateTimeOffset now, CancellationToken ct)
    {
        var slo = tracked.Definition;
        var currentHour = HistoryBucket.HourOf(now);
        // The first read covers the window; later ones re-read the hour before and this one whole
        // (the flusher rewrites the current hour every 15 s).
        var since = tracked.Loaded ? currentHour.AddHours(-1) : HistoryBucket.HourOf(now - slo.Window.MaxLength).AddHours(-1);
        var hours = await store.ReadAsync(async (s, c) =>
        {
            var all = new List<HourRollup>();
            foreach (var key in slo.CheckKeys)
            {
                all.AddRange(await s.Checks.ListHoursAsync(key, since, includeRaw: true, c));
            }

            return all;
        }, ct);

        foreach (var hour in hours.GroupBy(h => h.Hour))
        {
            tracked.Series.ReplaceHour(hour.Key, SliCounting.Minutes(slo, hour));
        }

        tracked.Loaded = true;
        var longest = slo.Alerts.Count == 0 ? TimeSpan.FromDays(3) : slo.Alerts.Max(a => a.Long);
        var keepMinutes = longest > TimeSpan.FromDays(3) ? longest : TimeSpan.FromDays(3);
        tracked.Series.Prune(now - slo.Window.MaxLength - TimeSpan.FromHours(1), now - keepMinutes - TimeSpan.FromHours(1));
    }

    private async Task<IReadOnlyList<RpoStatus>> EvaluateRpoAsync(VigilConfig cfg, DateTimeOffset now, List<IntakeCommand> commands, CancellationToken ct)
    {
        var withRpo = cfg.Services.Where(s => s.Rpo is not null).ToList();
        foreach (var gone in _rpo.Keys.Where(k => !withRpo.Any(s => s.Id == k)).ToList())
        {
            if (_rpo[gone].Breached == true)
            {
                commands.Add(RpoSignal(gone, SignalStatus.Resolved, $"service {gone} no longer has an RPO", cfg, now));
            }

            _rpo.Remove(gone);
        }

        if (withRpo.Count == 0)
        {
            return [];
        }

        var points = new List<RecoveryPoint>();
        foreach (var source in recoverySources)
        {
            points.AddRange(await source.NewestAsync(cfg, ct));
        }

        var newest = RecoveryObjectives.Newest(points);
        var list = new List<RpoStatus>(withRpo.Count);
        foreach (var service in withRpo)
        {
            if (!_rpo.TryGetValue(service.Id, out var tracked) || tracked.Rpo != service.Rpo)
            {
                _rpo[service.Id] = tracked = new RpoTracked(service.Rpo!.Value, now, tracked?.Breached);
            }

            var status = RecoveryObjectives.Evaluate(service.Id, service.Rpo!.Value, newest.GetValueOrDefault(service.Id), tracked.Since, now);
            list.Add(status);
            // A null "Breached" (first turn after start) resolves too, ending a breach an earlier process fired.
            if (status.Breached != tracked.Breached)
            {
                if (status.Breached)
                {
                    LogRpoBreached(logger, service.Id, status.Message);
                }

                commands.Add(RpoSignal(service.Id, status.Breached ? SignalStatus.Firing : SignalStatus.Resolved, status.Message, cfg, now));
                tracked.Breached = status.Breached;
            }
        }

        return list;
    }

    private IntakeCommand RpoSignal(string service, SignalStatus status, string message, VigilConfig cfg, DateTimeOffset now)
    {
        var (page, _) = SloDefinitions.DefaultSeverities(cfg);
        var severity = cfg.SloDefaults.RpoSeverity ?? page;
        var signal = new Signal(SignalSource.Slo, "rpo/" + service, status, message, severity, policies.Current.IsService(service) ? service : null,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["objective"] = "rpo" }, now,
            Title: status == SignalStatus.Firing ? $"RPO of {service} breached: no recent backup" : null);
        return IntakeCommand.Apply(signal, Actor);
    }

    private IntakeCommand Apply(SloDefinition slo, SignalStatus status, string severity, string summary, string? title, DateTimeOffset now)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["slo"] = slo.Id, ["objective"] = "slo", ["sli"] = slo.Kind.ToString().ToLowerInvariant() };
        var signal = new Signal(SignalSource.Slo, slo.SignalKey, status, summary, severity, policies.Current.IsService(slo.Service) ? slo.Service : null, labels, now, Title: title);
        return IntakeCommand.Apply(signal, Actor);
    }

    private static string Fingerprint(SloDefinition d) => string.Create(CultureInfo.InvariantCulture,
        $"{d.Kind}|{d.Window}|{string.Join(',', d.CheckKeys)}|{d.LatencyThreshold?.TotalMilliseconds}|{d.Prometheus?.Url}|{d.Prometheus?.Good}|{d.Prometheus?.Total}");

    private sealed class Tracked(SloDefinition definition, string fingerprint)
    {
        public SloDefinition Definition { get; set; } = definition;

        public string Fingerprint { get; } = fingerprint;

        public SliSeries Series { get; } = new();

        public bool Loaded { get; set; }

        public SloAlertState? Alert { get; set; }

        /// <summary>Why the last Prometheus read failed, or null.</summary>
        public string? Unknown { get; set; }
    }

    private sealed class RpoTracked(TimeSpan rpo, DateTimeOffset since, bool? breached)
    {
        public TimeSpan Rpo { get; } = rpo;

        public DateTimeOffset Since { get; } = since;

        public bool? Breached { get; set; } = breached;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLO {Slo} fires at {Severity}: {Summary}")]
    private static partial void LogSloFiring(ILogger logger, string slo, string severity, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RPO of {Service} breached: {Message}")]
    private static partial void LogRpoBreached(ILogger logger, string service, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLO {Slo} is unknown: {Reason}")]
    private static partial void LogPrometheusFailed(ILogger logger, string slo, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLO {Slo}: Prometheus answers again")]
    private static partial void LogPrometheusRecovered(ILogger logger, string slo);

    [LoggerMessage(Level = LogLevel.Error, Message = "SLO evaluation failed")]
    private static partial void LogTurnFailed(ILogger logger, Exception ex);
}

/// <summary>The objectives as of one turn, for the API, CLI, gate, report, status page and metrics.</summary>
public sealed record SloSnapshot(DateTimeOffset At, IReadOnlyList<SloStatus> Slos, IReadOnlyList<RpoStatus> Rpos, IReadOnlyDictionary<string, SliSeries> Series)
{
    public static SloSnapshot Empty { get; } = new(DateTimeOffset.MinValue, [], [], new Dictionary<string, SliSeries>());
}
