using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Journal;

/// <summary>The ops journal through a real server on loopback and the real CLI: add, list, filters, bad input, audit, and the PIR.</summary>
public sealed class JournalTests
{
    private const string Config = """
        vigil: { name: journal-test }
        services:
          - { id: api }
          - { id: web }
        """;

    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddAndList_FiltersBySinceServiceAndTag_AuthorIsTheToken_AndEachAddIsAudited()
    {
        var time = new FakeTimeProvider(T0);
        await using var server = await TestServer.StartAsync(Config, time);
        var responder = await server.CreateTokenAsync("ana", "responder");

        var first = await server.CliAsync("journal", "add", "rotated the api certificates", "--service", "api", "--tag", "certs", "--tag", "planned", "--token", responder);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Journal entry #1 written", first.Out, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await server.CliAsync("journal", "add", "web cache flushed", "--service", "web", "--token", responder)).ExitCode);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, (await server.CliAsync("journal", "add", "handover to the evening shift", "--tag", "handover", "--token", responder)).ExitCode);

        var all = await ListAsync(server);
        Assert.Equal(["handover to the evening shift", "web cache flushed", "rotated the api certificates"], all.Select(e => e.Text));
        Assert.All(all, e => Assert.Equal("ana", e.Author));
        Assert.Equal(["certs", "planned"], all[2].Tags);
        Assert.Equal(T0, all[2].At);

        Assert.Equal(["handover to the evening shift", "web cache flushed"], (await ListAsync(server, "--since", "2h")).Select(e => e.Text));
        Assert.Equal(["handover to the evening shift"], (await ListAsync(server, "--since", T0.AddHours(3).AddMinutes(5).ToString("O"))).Select(e => e.Text));
        Assert.Equal(["rotated the api certificates"], (await ListAsync(server, "--service", "api")).Select(e => e.Text));
        Assert.Equal(["rotated the api certificates"], (await ListAsync(server, "--tag", "certs")).Select(e => e.Text));
        Assert.Empty(await ListAsync(server, "--service", "web", "--tag", "certs"));

        var table = await server.CliAsync("journal", "list", "--service", "web");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("web cache flushed", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("certificates", table.Out, StringComparison.Ordinal);

        var audit = await server.CliAsync("audit", "tail", "-n", "20", "-o", "json");
        Assert.Equal(3, CountOccurrences(audit.Out, "\"journal.add\""));
    }

    [Fact]
    public async Task BadInput_ClearFieldErrors_UnknownServiceNamesTheKnownOnes_ViewerCannotWrite_NothingStored()
    {
        await using var server = await TestServer.StartAsync(Config);

        var unknown = await server.CliAsync("journal", "add", "x", "--service", "nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'nope' is not a configured service; services: api, web", unknown.Error, StringComparison.Ordinal);

        using var admin = server.Admin();
        var bad = await admin.PostAsJsonAsync("/api/v1/journal", new { text = new string('a', 4001), tags = new[] { "ok", "no spaces" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("4000", problem.GetProperty("errors").GetProperty("text")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("'no spaces' is not a tag", problem.GetProperty("errors").GetProperty("tags")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/journal", new { text = "  " })).StatusCode);

        var badSince = await server.CliAsync("journal", "list", "--since", "yesterday-ish");
        Assert.Equal(2, badSince.ExitCode);
        Assert.Contains("since", badSince.Error, StringComparison.Ordinal);
        var badService = await server.CliAsync("journal", "list", "--service", "nope");
        Assert.Equal(2, badService.ExitCode);
        Assert.Contains("services: api, web", badService.Error, StringComparison.Ordinal);

        var viewer = await server.CreateTokenAsync("watcher", "viewer");
        using var viewerClient = server.Client(viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerClient.PostAsJsonAsync("/api/v1/journal", new { text = "hello" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewerClient.GetAsync("/api/v1/journal")).StatusCode);

        Assert.Empty(await ListAsync(server));
        var audit = await server.CliAsync("audit", "tail", "-n", "50");
        Assert.DoesNotContain("journal.add", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pir_IncludesTheServicesEntriesWrittenWhileTheIncidentWasOpen_Only()
    {
        var time = new FakeTimeProvider(T0);
        await using var server = await TestServer.StartAsync(Config, time);
        using var admin = server.Admin();

        Assert.Equal(0, (await server.CliAsync("journal", "add", "before: deploy 1.4 of api", "--service", "api")).ExitCode);
        time.Advance(TimeSpan.FromMinutes(5));
        var created = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "api errors", severity = "P1", service = "api" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<IncidentDetailView>(VigilJson.Options))!.Incident.Id;
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await server.CliAsync("journal", "add", "during: rolled api back to 1.3", "--service", "api", "--tag", "rollback")).ExitCode);
        Assert.Equal(0, (await server.CliAsync("journal", "add", "during but other service: web restart", "--service", "web")).ExitCode);

        // Open: the window runs to now.
        var open = await (await admin.GetAsync($"/api/v1/incidents/{id}/pir")).Content.ReadAsStringAsync();
        Assert.Contains("## Ops journal", open, StringComparison.Ordinal);
        Assert.Contains("2026-12-06 09:07:00 admin: during: rolled api back to 1.3 [rollback]", open, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(3));
        (await admin.PostAsync($"/api/v1/incidents/{id}/resolve", null)).EnsureSuccessStatusCode();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await server.CliAsync("journal", "add", "after: api error rate normal", "--service", "api")).ExitCode);

        var pir = await server.CliAsync("incident", "pir", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--preview");
        Assert.True(pir.ExitCode == 0, pir.ToString());
        Assert.Contains("during: rolled api back to 1.3", pir.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("before:", pir.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("after:", pir.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("web restart", pir.Out, StringComparison.Ordinal);
    }

    private static async Task<List<JournalEntryView>> ListAsync(TestServer server, params string[] filters)
    {
        var run = await server.CliAsync(["journal", "list", .. filters, "-o", "json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonSerializer.Deserialize<List<JournalEntryView>>(run.Out, VigilJson.Options)!;
    }

    private static int CountOccurrences(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
