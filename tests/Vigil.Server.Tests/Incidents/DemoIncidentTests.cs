using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// The demo story end to end: the demo config and fleet, the api target made to fail, an incident
/// opened by the checks engine, then worked from the CLI (ack, note, resolve, PIR, close).
/// </summary>
public sealed class DemoIncidentTests
{
    [Fact]
    public async Task DemoFleetFailure_OpensIncident_WorkedFromTheCli()
    {
        await using var server = await DemoServer.StartAsync();
        using var admin = server.Admin();

        (await admin.PostAsJsonAsync("/api/v1/demo/fleet/api", new { mode = "failing", @for = "5m" })).EnsureSuccessStatusCode();
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        var incident = await Eventually.ValueAsync(async () =>
            (await admin.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?open=true&service=api", VigilJson.Options))!
                .FirstOrDefault(i => !i.Title.StartsWith("SLO ", StringComparison.Ordinal)), // the check's incident, not the demo SLO's burn alert
            store.NextCommitAsync, TimeSpan.FromSeconds(30), "an incident on api");
        Assert.Equal("P1", incident.Severity);
        Assert.Equal("triggered", incident.Status);
        Assert.Contains("api", incident.Title, StringComparison.OrdinalIgnoreCase);
        var id = incident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // P1 pages: the demo's schedule puts someone on call, and the page lands on the demo pager.
        var page = await Eventually.ValueAsync(async () => (await admin.GetFromJsonAsync<List<NotificationView>>($"/api/v1/notifications?incident={incident.Id}", VigilJson.Options))!
            .FirstOrDefault(n => n.Kind == "trigger" && n.State == "delivered"), store.NextCommitAsync, TimeSpan.FromSeconds(30), "a delivered page");
        Assert.Equal("pager", page.Notifier);
        Assert.Equal("schedule:primary", page.Target);
        var notifications = await server.CliAsync("notifications");
        Assert.True(notifications.ExitCode == 0, notifications.ToString());
        Assert.Contains("delivered", notifications.Out, StringComparison.Ordinal);

        var list = await server.CliAsync("incident", "list", "--open");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("triggered", list.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await server.CliAsync("incident", "ack", id, "--reason", "on it")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("incident", "note", id, "restarted the api pod")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("incident", "checklist", id, "1")).ExitCode);
        var closeEarly = await server.CliAsync("incident", "close", id);
        Assert.Equal(1, closeEarly.ExitCode);
        Assert.Contains("resolve it before closing", closeEarly.Error, StringComparison.Ordinal);
        // The check is still failing: a plain resolve is refused, naming the firing signal and --force.
        var refusedResolve = await server.CliAsync("incident", "resolve", id);
        Assert.Equal(1, refusedResolve.ExitCode);
        Assert.Contains("still has 1 firing signal (api/health)", refusedResolve.Error, StringComparison.Ordinal);
        Assert.Contains("--force", refusedResolve.Error, StringComparison.Ordinal);
        var forced = await server.CliAsync("incident", "resolve", id, "--force", "--reason", "deploy rolled back");
        Assert.True(forced.ExitCode == 0, forced.ToString());

        // The check's next failing result re-opens it (reopen_within 30m); when the check recovers, it resolves itself.
        await Eventually.UntilAsync(() => IncidentStatusAsync(admin, incident.Id), s => s == "triggered", store.NextCommitAsync, TimeSpan.FromSeconds(30), "the forced resolve re-triggered");
        (await admin.PostAsJsonAsync("/api/v1/demo/fleet/api", new { mode = "healthy" })).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => IncidentStatusAsync(admin, incident.Id), s => s == "resolved", store.NextCommitAsync, TimeSpan.FromSeconds(30), "the incident resolved by its check");
        var closeWithoutPir = await server.CliAsync("incident", "close", id);
        Assert.Equal(1, closeWithoutPir.ExitCode);
        Assert.Contains("post-incident review", closeWithoutPir.Error, StringComparison.Ordinal);

        var pirFile = server.Dir.File("pir.md");
        var pir = await server.CliAsync("incident", "pir", id, "--file", pirFile);
        Assert.True(pir.ExitCode == 0, pir.ToString());
        var markdown = await File.ReadAllTextAsync(pirFile);
        Assert.Contains($"# Post-incident review: #{id}", markdown, StringComparison.Ordinal);
        Assert.Contains("restarted the api pod", markdown, StringComparison.Ordinal);
        Assert.Contains("| acknowledged |", markdown, StringComparison.Ordinal);
        Assert.Contains("`api/health`", markdown, StringComparison.Ordinal);
        Assert.Contains("- [x] Acknowledge the incident", markdown, StringComparison.Ordinal);

        var close = await server.CliAsync("incident", "close", id);
        Assert.True(close.ExitCode == 0, close.ToString());
        var show = await server.CliAsync("incident", "show", id, "-o", "json");
        var detail = JsonSerializer.Deserialize<IncidentDetailView>(show.Out, VigilJson.Options)!;
        Assert.Equal("closed", detail.Incident.Status);
        var kinds = detail.Timeline.Select(t => t.Kind).ToList();
        Assert.Equal(["opened", "acknowledged", "note", "checklist", "resolved", "reopened", "resolved", "pir", "closed"],
            kinds.Where(k => k is not ("signal" or "escalation" or "page" or "notification")));
        Assert.Equal(["escalation", "page", "notification"], kinds.Where(k => k is "escalation" or "page" or "notification").Distinct());
        Assert.Contains(detail.Signals, s => s.DedupKey == "api/health" && s.Source == "check");
    }

    private static async Task<string> IncidentStatusAsync(HttpClient admin, long id) =>
        (await admin.GetFromJsonAsync<IncidentDetailView>($"/api/v1/incidents/{id}", VigilJson.Options))!.Incident.Status;

}
