using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Server.Tests.Support;

/// <summary>
/// A little of every kind of state, written through the API as users write it: three event incidents on <c>api</c>, a manual
/// incident on <c>web</c> acknowledged with a note, a silence, a maintenance window and a freeze. For tests that copy or
/// upgrade a whole store (export/import, the upgrade fixtures). The config needs services <c>api</c> and <c>web</c>.
/// </summary>
internal static class SampleState
{
    /// <summary>Writes the state; returns the manual incident's id.</summary>
    public static async Task<long> WriteAsync(HttpClient admin, string routingKey)
    {
        for (var i = 0; i < 3; i++)
        {
            (await admin.PostAsJsonAsync("/api/v1/events", new
            {
                routing_key = routingKey,
                event_action = "trigger",
                dedup_key = $"disk-{i}",
                payload = new { summary = $"disk {i} full", source = "db-1", severity = "critical", custom_details = new { service = "api" } },
            })).EnsureSuccessStatusCode();
        }

        var manual = await (await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "payments slow", severity = "P2", service = "web" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = manual.GetProperty("incident").GetProperty("id").GetInt64();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/ack", new { reason = "looking" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "rolled back the deploy" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { "service=api" }, duration = "2h", comment = "noisy" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/windows", new { services = new[] { "web" }, duration = "30m", reason = "upgrade" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/freezes", new { service = "web", reason = "holiday" })).EnsureSuccessStatusCode();
        return id;
    }
}
