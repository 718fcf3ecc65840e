using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Slos;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Slos;

/// <summary>The objectives loop on a real server and store, on a fake clock: SLO burn pages, an exhausted budget blocks the gate, a stale backup breaches the RPO.</summary>
public sealed class SloEngineTests
{
    private static readonly DateTimeOffset Nine = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private const string Config = """
        vigil: { name: slo-test }
        services:
          - id: api
            checks: [{ id: up, tcp: { host: 127.0.0.1, port: 9 }, every: 1h }]
            slos:
              - id: api-up
                objective: 99%
                window: 2h
                availability: {}
                alerts: [{ burn_rate: 10, long_window: 30m, short_window: 5m }]
          - id: web
            checks: [{ id: up, tcp: { host: 127.0.0.1, port: 9 }, every: 1h }]
            slos: [{ id: web-up, objective: 99%, window: 2h, availability: {} }]
          - id: db
            rpo: 1h
            checks:
              - id: nightly-backup
                heartbeat: { period: 1d, backup: true, token: backup-token-0123456789 }
        """;

    [Fact]
    public async Task BurningSlo_FiresAPageSignal_AndItsExhaustedBudgetBlocksTheGate_WithTheReason()
    {
        var time = new FakeTimeProvider(Nine);
        await using var server = await TestServer.StartAsync(Config, time);
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        // The hour before: one probe a minute, every other one failed (50 % errors against a 1 % budget).
        var samples = Enumerable.Range(0, 60).Select(m => new HistorySample(Nine.AddHours(-1).AddMinutes(m),
            m % 2 == 0 ? HealthState.Ok : HealthState.Critical, m % 2 == 0 ? FailureReason.None : FailureReason.Connect, 12)).ToList();
        var rollup = HistoryBucket.Summarize("api/up", Nine.AddHours(-1), samples, includeRaw: true);
        await store.RecordAsync(async (s, c) => { await s.Checks.UpsertHourAsync(rollup, HistoryBucket.EncodeSamples(Nine.AddHours(-1), samples), c); return 0; }, CancellationToken.None);

        var snapshot = await server.App.Services.GetRequiredService<SloEngine>().EvaluateNowAsync(CancellationToken.None);

        var api = snapshot.Slos.Single(s => s.Slo.Id == "api-up");
        Assert.Equal("page", api.State);
        Assert.True(api.Budget!.Exhausted);
        Assert.Equal("no_data", snapshot.Slos.Single(s => s.Slo.Id == "web-up").State);

        using var admin = server.Admin();
        var incidents = await admin.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?open=true", VigilJson.Options);
        var incident = Assert.Single(incidents!);
        Assert.Equal(("P1", "api"), (incident.Severity, incident.Service));
        Assert.Contains("SLO api-up burning 50x its error budget", incident.Title, StringComparison.Ordinal);

        var gate = await server.CliAsync("gate", "--service", "api", "-o", "json");
        Assert.Equal(1, gate.ExitCode);
        var view = JsonSerializer.Deserialize<GateView>(gate.Out, VigilJson.Options)!;
        var reason = Assert.Single(view.Reasons, r => r.Code == "slo_budget_exhausted");
        Assert.Contains("SLO api-up (99% over 2h) has no error budget left", reason.Message, StringComparison.Ordinal);
        var web = await server.CliAsync("gate", "--service", "web");
        Assert.True(web.ExitCode == 0, web.ToString());

        // Two good hours later the window holds no errors: the budget is back, the signal resolved.
        time.Advance(TimeSpan.FromHours(2));
        var good = Enumerable.Range(0, 60).Select(m => new HistorySample(Nine.AddHours(1).AddMinutes(m), HealthState.Ok, FailureReason.None, 12)).ToList();
        await store.RecordAsync(async (s, c) => { await s.Checks.UpsertHourAsync(HistoryBucket.Summarize("api/up", Nine.AddHours(1), good, includeRaw: true), HistoryBucket.EncodeSamples(Nine.AddHours(1), good), c); return 0; }, CancellationToken.None);
        var later = await server.App.Services.GetRequiredService<SloEngine>().EvaluateNowAsync(CancellationToken.None);
        Assert.Equal("ok", later.Slos.Single(s => s.Slo.Id == "api-up").State);
        var signals = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident.Id}", VigilJson.Options);
        Assert.Contains("\"resolved\"", signals.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.CliAsync("gate", "--service", "api")).ExitCode);
    }

    [Fact]
    public async Task BackupHeartbeat_OlderThanTheRpo_FiresABreach_AndANewBackupResolvesIt()
    {
        var time = new FakeTimeProvider(Nine);
        await using var server = await TestServer.StartAsync(Config, time);
        var engine = server.App.Services.GetRequiredService<SloEngine>();
        using var client = server.Client();
        (await client.PostAsync("/api/v1/heartbeats/backup-token-0123456789", null)).EnsureSuccessStatusCode();

        var fresh = await engine.EvaluateNowAsync(CancellationToken.None);
        var met = Assert.Single(fresh.Rpos);
        Assert.False(met.Breached);
        Assert.Contains("newest recovery point is 0s old (RPO 1h), from heartbeat db/nightly-backup", met.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(90));
        var stale = Assert.Single((await engine.EvaluateNowAsync(CancellationToken.None)).Rpos);
        Assert.True(stale.Breached);
        Assert.Contains("RPO of db breached: newest recovery point is 1h30m old", stale.Message, StringComparison.Ordinal);
        using var admin = server.Admin();
        var open = await admin.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?open=true", VigilJson.Options);
        var incident = Assert.Single(open!, i => i.Service == "db");
        Assert.Equal("P1", incident.Severity);

        (await client.PostAsync("/api/v1/heartbeats/backup-token-0123456789", null)).EnsureSuccessStatusCode();
        Assert.False(Assert.Single((await engine.EvaluateNowAsync(CancellationToken.None)).Rpos).Breached);
        var after = await admin.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?open=true", VigilJson.Options);
        Assert.DoesNotContain(after!, i => i.Service == "db");
    }

    [Fact]
    public async Task VerifiedBackup_IsWhatTheRpoIsMeasuredAgainst_ANewerHeartbeatDoesNotHideAStaleBackup()
    {
        var time = new FakeTimeProvider(Nine);
        var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("backup.key"), Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        Directory.CreateDirectory(dir.File("orders"));
        await File.WriteAllTextAsync(dir.File("orders/orders.db"), "rows");
        const string config = """
            vigil: { name: rpo-backups }
            services:
              - id: db
                rpo: 1h
                checks:
                  - id: nightly-backup
                    heartbeat: { period: 1d, backup: true, token: backup-token-0123456789 }
            backups:
              - { id: files, service: db, paths: [orders], cron: "0 3 * * *", encryption: { key_file: backup.key } }
            """;
        await using var server = await TestServer.StartAsync(config, time, dir: dir);
        var engine = server.App.Services.GetRequiredService<SloEngine>();
        var first = await server.CliAsync("backup", "run", "files");
        Assert.True(first.ExitCode == 0, first.ToString());

        var met = Assert.Single((await engine.EvaluateNowAsync(CancellationToken.None)).Rpos);
        Assert.False(met.Breached, met.Message);
        Assert.Contains("from verified backup of job files", met.Message, StringComparison.Ordinal);

        // The heartbeat says a backup ran a moment ago, but the newest verified backup is 90 minutes old.
        time.Advance(TimeSpan.FromMinutes(90));
        using var client = server.Client();
        (await client.PostAsync("/api/v1/heartbeats/backup-token-0123456789", null)).EnsureSuccessStatusCode();
        var stale = Assert.Single((await engine.EvaluateNowAsync(CancellationToken.None)).Rpos);
        Assert.True(stale.Breached);
        Assert.Contains("newest recovery point is 1h30m old (RPO 1h), from verified backup of job files", stale.Message, StringComparison.Ordinal);

        var second = await server.CliAsync("backup", "run", "files");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.False(Assert.Single((await engine.EvaluateNowAsync(CancellationToken.None)).Rpos).Breached);
    }
}
