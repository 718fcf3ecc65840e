using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Server.Api;
using Vigil.Server.Http;

namespace Vigil.Server.Tests.Incidents;

/// <summary>The intake routes, the recorded payloads, and reads of the incidents they produce.</summary>
internal static class Intake
{
    public const string Webhook = "/api/v1/integrations/alertmanager";
    public const string AlertsV2 = "/api/v2/alerts";
    public const string Events = "/api/v1/events";

    public static IReadOnlyList<string> Routes { get; } = [Webhook, AlertsV2, Events];

    /// <summary>A payload file from <c>Incidents/Payloads</c>, as sent on the wire.</summary>
    public static string Payload(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Incidents", "Payloads", name));

    /// <summary>A payload file parsed for editing (to vary one field of a recorded shape).</summary>
    public static JsonNode PayloadNode(string name) => JsonNode.Parse(Payload(name))!;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode json) =>
        client.PostJsonAsync(path, json.ToJsonString());

    public static async Task<List<IncidentView>> IncidentsAsync(this HttpClient viewer) =>
        (await viewer.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?limit=1000", VigilJson.Options))!;

    public static async Task<IncidentDetailView> DetailAsync(this HttpClient viewer, long id) =>
        (await viewer.GetFromJsonAsync<IncidentDetailView>($"/api/v1/incidents/{id}", VigilJson.Options))!;

    /// <summary>Asserts a 2xx and returns the body, so a failure shows what the server said.</summary>
    public static async Task<string> AssertSuccessAsync(this HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        return body;
    }
}
