using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;
using Vigil.Server.Http;
using Vigil.Server.Slos;
using Vigil.Server.StatusPage;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Slos;

/// <summary>SLO attainment in <c>vigil report</c> and, with <c>status_page.show_slos</c>, on the public status page: real server and store, fake clock.</summary>
public sealed class SloReportAndStatusTests
{
    private static readonly DateTimeOffset Nine = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // Daily heartbeats: no probe runs while the test does, so the history below is all there is.
    private const string Config = """
        vigil: { name: slo-public }
        status_page: { show_slos: true }
        services:
          - id: api
            name: Public API
            public: true
            checks: [{ id: health, heartbeat: { period: 1d, grace: 1h } }]
            slos: [{ id: api-up, description: API availability, objective: 99%, window: 1d, availability: {} }]
          - id: internal
            checks: [{ id: health, heartbeat: { period: 1d, grace: 1h } }]
            slos: [{ id: internal-secret-slo, objective: 99.9%, window: 1d, availability: {} }]
        """;

    private static async Task<TestServer> StartAsync(FakeTimeProvider time)
    {
        var server = await TestServer.StartAsync(Config, time);
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        var hour = Nine.AddHours(-1);
        // The hour before nine, a probe a minute: api all good; internal 2 bad of 60.
        foreach (var (key, bad) in new (string, Func<int, bool>)[] { ("api/health", _ => false), ("internal/health", m => m is 5 or 6) })
        {
            var samples = Enumerable.Range(0, 60).Select(m => new HistorySample(hour.AddMinutes(m),
                bad(m) ? HealthState.Critical : HealthState.Ok, bad(m) ? FailureReason.Timeout : FailureReason.None, 20)).ToList();
            await store.RecordAsync(async (s, c) =>
            {
                await s.Checks.UpsertHourAsync(HistoryBucket.Summarize(key, hour, samples, includeRaw: true), HistoryBucket.EncodeSamples(hour, samples), c);
                return 0;
            }, CancellationToken.None);
        }

        await server.App.Services.GetRequiredService<SloEngine>().EvaluateNowAsync(CancellationToken.None);
        return server;
    }

    [Fact]
    public async Task Report_IncludesEachSlosAttainment_InTheApiAndTheCli()
    {
        await using var server = await StartAsync(new FakeTimeProvider(Nine));
        using var admin = server.Admin();

        var report = await admin.GetFromJsonAsync<IncidentReport>("/api/v1/reports/incidents?since=7d", VigilJson.Options);
        Assert.Equal(["api-up", "internal-secret-slo"], report!.Slos.Select(s => s.Id));
        var inner = report.Slos[1];
        Assert.Equal(("internal", 96.667, false, "ticket"), (inner.Service, inner.Attainment, inner.Met, inner.State));
        var onlyApi = await admin.GetFromJsonAsync<IncidentReport>("/api/v1/reports/incidents?service=api", VigilJson.Options);
        Assert.Equal("api-up", Assert.Single(onlyApi!.Slos).Id);

        var cli = await server.CliAsync("report", "--since", "7d");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("SLO attainment (each over its own window)", cli.Out, StringComparison.Ordinal);
        var row = cli.Out.Split('\n').Last(l => l.Contains("internal-secret-slo", StringComparison.Ordinal));
        foreach (var cell in new[] { "internal", "99.9%", "1d", "96.667%", "ticket" })
        {
            Assert.Contains(cell, row, StringComparison.Ordinal);
        }

        var json = await server.CliAsync("report", "-o", "json", "--service", "api");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(100.0, JsonSerializer.Deserialize<IncidentReport>(json.Out, VigilJson.Options)!.Slos.Single().Attainment);
    }

    [Fact]
    public async Task StatusPage_WithShowSlos_ShowsPublicServicesAttainment_AndNoInternalSlo()
    {
        var time = new FakeTimeProvider(Nine);
        await using var server = await StartAsync(time);
        var publisher = server.App.Services.GetRequiredService<StatusPagePublisher>();
        // With show_slos the page rebuilds every evaluate_every (1m) to follow the objectives loop.
        time.Advance(TimeSpan.FromMinutes(1));

        using var anonymous = server.Client();
        var json = await Eventually.UntilAsync(() => anonymous.GetStringAsync("/status.json"), j => j.Contains("\"slos\"", StringComparison.Ordinal),
            publisher.NextBuildAsync, TimeSpan.FromSeconds(30), "SLOs on /status.json");
        var api = JsonDocument.Parse(json).RootElement.GetProperty("services").EnumerateArray().Single();
        var slo = api.GetProperty("slos").EnumerateArray().Single();
        Assert.Equal(("API availability", 99.0, "1d", 100.0, true),
            (slo.GetProperty("name").GetString(), slo.GetProperty("objective").GetDouble(), slo.GetProperty("window").GetString(), slo.GetProperty("attainment").GetDouble(), slo.GetProperty("met").GetBoolean()));

        var html = await anonymous.GetStringAsync("/status");
        Assert.Contains("API availability: 100 % over 1d (objective 99 %, met)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("internal-secret-slo", html + json, StringComparison.Ordinal);
    }
}
