using System.Net;
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

/// <summary><c>GET /api/v1/slos</c>, <c>/slos/{id}</c>, <c>vigil slo list|show</c> on a real server and store, on a fake clock, from check history.</summary>
public sealed class SloApiTests
{
    private static readonly DateTimeOffset Nine = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private const string Config = """
        vigil: { name: slo-api-test }
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
            slos: [{ id: web-up, description: web answers, objective: 99%, window: 1d, availability: {} }]
        """;

    /// <summary>
    /// The hour before nine: one probe a minute; api fails every other probe (50 % against a 1 % budget),
    /// web fails 3 of 60 (5 %: a 5x burn, which fires the default 3x/1d/2h ticket, not the 14.4x and 6x pages).
    /// </summary>
    private static async Task<TestServer> StartWithHistoryAsync(FakeTimeProvider time)
    {
        var server = await TestServer.StartAsync(Config, time);
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        var hour = Nine.AddHours(-1);
        foreach (var (key, bad) in new (string, Func<int, bool>)[] { ("api/up", m => m % 2 == 1), ("web/up", m => m is 10 or 30 or 50) })
        {
            var samples = Enumerable.Range(0, 60).Select(m => new HistorySample(hour.AddMinutes(m),
                bad(m) ? HealthState.Critical : HealthState.Ok, bad(m) ? FailureReason.Connect : FailureReason.None, 12)).ToList();
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
    public async Task List_GivesBudgetBurnRatesProjectionAndState_ForAViewer()
    {
        var time = new FakeTimeProvider(Nine);
        await using var server = await StartWithHistoryAsync(time);
        using var viewer = server.Client(await server.CreateTokenAsync("slo-viewer", "viewer"));

        var slos = (await viewer.GetFromJsonAsync<List<SloView>>("/api/v1/slos", VigilJson.Options))!;

        Assert.Equal(["api-up", "web-up"], slos.Select(s => s.Id));
        var api = slos[0];
        Assert.Equal(("api", "availability", 99.0, "2h", "page", "P1", "10x/30m/5m"), (api.Service, api.Sli, api.ObjectivePercent, api.Window, api.State, api.Severity, api.FiringAlert));
        Assert.Equal((50.0, 30L, 60L), (api.AttainmentPercent, api.GoodEvents, api.TotalEvents));
        // 50 % bad ÷ 1 % allowed × half the 2h window covered = 2500 % used.
        Assert.Equal((2500.0, -2400.0), (api.BudgetConsumedPercent, api.BudgetRemainingPercent));
        Assert.Null(api.ExhaustedAt);
        Assert.Equal(["1h", "6h", "1d", "3d"], api.BurnRates.Select(b => b.Window));
        Assert.All(api.BurnRates.Skip(1), b => Assert.Equal(50, b.Rate));
        Assert.True(Assert.Single(api.Alerts).Firing);

        var web = slos[1];
        Assert.Equal(("ticket", "P3", "3x/1d/2h", "web answers"), (web.State, web.Severity, web.FiringAlert, web.Description));
        Assert.Equal(95.0, web.AttainmentPercent);
        // 5 % bad ÷ 1 % × 1h of a 1d window = 20.8333 % used; the rest lasts 79.1667 % × 24 h ÷ 5 = 3 h 48 m.
        Assert.Equal((20.8333, 79.1667, 5.0), (web.BudgetConsumedPercent, web.BudgetRemainingPercent, web.ProjectionBurnRate));
        Assert.Equal(3.8 * 3600, web.TimeLeftSeconds!.Value, 0);
        Assert.Equal(Nine.AddHours(3.8), web.ExhaustedAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal([5.0, 5.0, 5.0, 5.0], web.BurnRates.Select(b => b.Rate));
        Assert.Equal(["14.4x/1h/5m", "6x/6h/30m", "3x/1d/2h"], web.Alerts.Select(a => a.Name));
        Assert.Equal([false, false, true], web.Alerts.Select(a => a.Firing));

        var onlyWeb = await viewer.GetFromJsonAsync<List<SloView>>("/api/v1/slos?service=web", VigilJson.Options);
        Assert.Equal("web-up", Assert.Single(onlyWeb!).Id);

        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/slos")).StatusCode);
    }

    [Fact]
    public async Task Show_GivesAttainmentPerDay_AndAnUnknownIdIsA404ProblemNamingTheSlos()
    {
        var time = new FakeTimeProvider(Nine);
        await using var server = await StartWithHistoryAsync(time);
        using var admin = server.Admin();

        var detail = await admin.GetFromJsonAsync<SloDetailView>("/api/v1/slos/web-up", VigilJson.Options);

        Assert.Equal("web-up", detail!.Slo.Id);
        // The 1d window runs from yesterday 09:00 to now: yesterday has no events, today 57 good of 60.
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)], detail.History.Select(d => d.Day));
        Assert.Equal((Nine.AddDays(-1), (double?)null, 0L), (detail.History[0].From, detail.History[0].AttainmentPercent, detail.History[0].TotalEvents));
        Assert.Equal((95.0, 57L, 60L, Nine), (detail.History[1].AttainmentPercent!.Value, detail.History[1].GoodEvents, detail.History[1].TotalEvents, detail.History[1].To));

        var missing = await admin.GetAsync("/api/v1/slos/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("No SLO 'nope'. SLOs: api-up, web-up (vigil slo list).", problem.GetProperty("detail").GetString());
        var noService = await admin.GetAsync("/api/v1/slos?service=nope");
        Assert.Equal(HttpStatusCode.NotFound, noService.StatusCode);
    }

    [Fact]
    public async Task Cli_ListsAndShowsSlos_AsTablesAndJson_AndExplainsAnUnknownId()
    {
        var time = new FakeTimeProvider(Nine);
        await using var server = await StartWithHistoryAsync(time);

        var list = await server.CliAsync("slo", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var apiRow = list.Out.Split('\n').Single(l => l.Contains("api-up", StringComparison.Ordinal));
        foreach (var cell in new[] { "api", "99%", "2h", "50%", "-2400%", "50x", "page" })
        {
            Assert.Contains(cell, apiRow, StringComparison.Ordinal);
        }

        var webRow = list.Out.Split('\n').Single(l => l.Contains("web-up", StringComparison.Ordinal));
        Assert.Contains("79.167%", webRow, StringComparison.Ordinal);
        Assert.Contains("ticket", webRow, StringComparison.Ordinal);

        var json = await server.CliAsync("slo", "list", "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var views = JsonSerializer.Deserialize<List<SloView>>(json.Out, VigilJson.Options)!;
        Assert.Equal(["api-up", "web-up"], views.Select(v => v.Id));

        var show = await server.CliAsync("slo", "show", "web-up");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("error budget: 20.833% used, 79.167% left", show.Out, StringComparison.Ordinal);
        Assert.Contains("at the current burn rate (5x) the budget runs out in 3h 48m, at 2026-12-01 12:48 UTC", show.Out, StringComparison.Ordinal);
        Assert.Contains("attainment per day (UTC)", show.Out, StringComparison.Ordinal);
        Assert.Contains("2026-12-01", show.Out, StringComparison.Ordinal);
        Assert.Contains("95%", show.Out, StringComparison.Ordinal);

        var showJson = await server.CliAsync("slo", "show", "api-up", "-o", "json");
        Assert.True(showJson.ExitCode == 0, showJson.ToString());
        var detail = JsonSerializer.Deserialize<SloDetailView>(showJson.Out, VigilJson.Options)!;
        Assert.Equal(("api-up", 50.0), (detail.Slo.Id, detail.History[^1].AttainmentPercent!.Value));

        var missing = await server.CliAsync("slo", "show", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("vigil: No SLO 'nope'. SLOs: api-up, web-up (vigil slo list). (HTTP 404)", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Error, StringComparison.Ordinal);
    }
}
