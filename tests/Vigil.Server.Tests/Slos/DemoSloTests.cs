using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Api;
using Vigil.Server.Checks;
using Vigil.Server.Http;
using Vigil.Server.Slos;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Slos;

/// <summary>
/// The demo's burn-rate story end to end: the demo config and fleet, `vigil demo fleet api failing`, and the demo's
/// short-window SLO on api pages through the incident engine, as `vigil slo list` then shows.
/// </summary>
public sealed class DemoSloTests
{
    [Fact]
    public async Task DemoApiFailing_BurnsItsSlo_AndThePageAlertFires()
    {
        await using var server = await DemoServer.StartAsync();
        using var admin = server.Admin();

        var fleet = await server.CliAsync("demo", "fleet", "api", "failing", "--for", "5m");
        Assert.True(fleet.ExitCode == 0, fleet.ToString());

        // Each turn: the probes' samples into the store, then one objectives turn, until the fast alert fires
        // (the probes run on the real clock, so a turn waits half a second; the deadline only bounds a broken setup).
        var flusher = server.App.Services.GetRequiredService<CheckHistoryFlusher>();
        var engine = server.App.Services.GetRequiredService<SloEngine>();
        await Eventually.UntilAsync(async () =>
        {
            await flusher.FlushNowAsync(CancellationToken.None);
            return (await engine.EvaluateNowAsync(CancellationToken.None)).Slos.Single(s => s.Slo.Id == "api-availability");
        }, s => s.State == "page", ct => Task.Delay(TimeSpan.FromMilliseconds(500), ct), TimeSpan.FromSeconds(90), "the demo SLO to page");

        var incidents = await admin.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?open=true&service=api", VigilJson.Options);
        var burning = Assert.Single(incidents!, i => i.Title.Contains("SLO api-availability burning", StringComparison.Ordinal));
        Assert.Equal("P1", burning.Severity);

        var list = await server.CliAsync("slo", "list", "-o", "json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("\"api-availability\"", list.Out, StringComparison.Ordinal);
        Assert.Contains("\"page\"", list.Out, StringComparison.Ordinal);
    }
}
