using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// The expected refusals of the incident, paging and operations routes over real HTTP: status,
/// problem JSON (type, title, status, detail) and that a refused change leaves no trace.
/// </summary>
public sealed class RefusalResponseTests
{
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var root = problem.RootElement;
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.Equal(status == HttpStatusCode.NotFound ? "Not found" : "Conflict", root.GetProperty("title").GetString());
        Assert.Equal(status == HttpStatusCode.NotFound ? "https://tools.ietf.org/html/rfc9110#section-15.5.5" : "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            root.GetProperty("type").GetString());
        Assert.Equal(detail, root.GetProperty("detail").GetString());
    }

    private static async Task<long> OpenAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "Checkout is slow" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("incident").GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task IncidentRoutes_UnknownIncident_Answer404WithTheListHint()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Admin();

        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/incidents/999/notes", new { text = "hello" }), HttpStatusCode.NotFound,
            "No incident #999; see 'vigil incident list'.");
        await AssertProblemAsync(await admin.PostAsync("/api/v1/incidents/999/ack", null), HttpStatusCode.NotFound,
            "No incident #999; see 'vigil incident list'.");
        await AssertProblemAsync(await admin.PostAsync("/api/v1/incidents/999/pir", null), HttpStatusCode.NotFound,
            "No incident #999; see 'vigil incident list'.");
    }

    [Fact]
    public async Task IncidentRoutes_StateDoesNotAllowIt_Answer409AndChangeNothing()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Admin();
        var id = await OpenAsync(admin);
        (await admin.PostAsync($"/api/v1/incidents/{id}/ack", null)).EnsureSuccessStatusCode();
        var before = await admin.GetStringAsync($"/api/v1/incidents/{id}");

        var again = await admin.PostAsync($"/api/v1/incidents/{id}/ack", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await admin.GetStringAsync($"/api/v1/incidents/{id}"));
    }

    [Fact]
    public async Task ActionItemsAndChecklist_MissingOrDone_Answer404Or409()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Admin();
        var id = await OpenAsync(admin);
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/actions", new { text = "Add an alert on queue depth" })).EnsureSuccessStatusCode();
        var actionId = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/incidents/{id}")).RootElement.GetProperty("actions")[0].GetProperty("id").GetInt64();

        await AssertProblemAsync(await admin.PostAsync($"/api/v1/incidents/{id}/actions/{actionId + 100}/done", null), HttpStatusCode.NotFound,
            $"Incident #{id} has no action item #{actionId + 100}; see 'vigil incident show {id}'.");
        (await admin.PostAsync($"/api/v1/incidents/{id}/actions/{actionId}/done", null)).EnsureSuccessStatusCode();
        await AssertProblemAsync(await admin.PostAsync($"/api/v1/incidents/{id}/actions/{actionId}/done", null), HttpStatusCode.Conflict,
            $"Action item #{actionId} is already done.");
        await AssertProblemAsync(await admin.PostAsync($"/api/v1/incidents/{id}/checklist/1", null), HttpStatusCode.NotFound,
            $"Incident #{id} has no checklist (its severity P3 names none).");
    }

    [Fact]
    public async Task OverrideRemove_NoSuchOverride_Answers404()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Admin();

        await AssertProblemAsync(await admin.DeleteAsync("/api/v1/overrides/42"), HttpStatusCode.NotFound, "No active override #42; see 'vigil override list'.");
    }
}
