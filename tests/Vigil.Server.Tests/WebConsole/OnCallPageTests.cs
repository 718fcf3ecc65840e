using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Server.Tests.Support;
using Vigil.Server.WebConsole;

namespace Vigil.Server.Tests.WebConsole;

/// <summary>Overrides added and removed from the console's on-call page go through the API's own handlers; times render as UTC &lt;time datetime&gt;.</summary>
public sealed partial class OnCallPageTests : IAsyncLifetime
{
    private const string Config = """
        vigil:
          name: test
          environment: dev
        services:
          - id: web
            name: Web
        people:
          - { id: alice, name: Alice Adams }
          - { id: bob, name: Bob Brown }
        schedules:
          - id: primary
            timezone: UTC
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice, bob] }
        """;

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Config);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Responder_AddsAndRemovesAnOverride_AuditedAsInTheApi()
    {
        var responder = await _server.CreateTokenAsync("rita", "responder");
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.Address };
        (await client.GetAsync(ConsoleSignIn.CreateLink(_server.App, _server.Address, responder))).EnsureSuccessStatusCode();
        var page = await client.GetStringAsync("/console/oncall");
        Assert.Matches("<time datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\" data-local>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</time>", page);

        var from = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var added = await PostAsync(client, page, "override:primary", ("person", "bob"), ("from", from), ("to", to), ("reason", "swap for a wedding"));
        Assert.Contains("swap for a wedding", added, StringComparison.Ordinal);
        var overrides = await GetJsonAsync("/api/v1/overrides");
        var mine = Assert.Single(overrides.EnumerateArray());
        Assert.Equal("bob", mine.GetProperty("person").GetString());
        Assert.Equal("rita", mine.GetProperty("createdBy").GetString());
        var id = mine.GetProperty("id").GetInt64();

        var bad = await PostAsync(client, added, "override:primary", ("person", "bob"), ("from", "soon"), ("to", to));
        Assert.Contains("from: &#x27;soon&#x27; is not a date and time", bad, StringComparison.Ordinal);

        var removed = await PostAsync(client, added, $"override-remove:{id}");
        Assert.Contains("No override is in force or coming up.", removed, StringComparison.Ordinal);
        Assert.Empty((await GetJsonAsync("/api/v1/overrides")).EnumerateArray());
        var audit = (await GetJsonAsync("/api/v1/audit?tail=50")).EnumerateArray()
            .Where(e => e.GetProperty("actor").GetString() == "rita").Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("override.add", audit);
        Assert.Contains("override.remove", audit);
    }

    private static async Task<string> PostAsync(HttpClient client, string page, string handler, params (string Name, string Value)[] fields)
    {
        Assert.Contains($"value=\"{handler}\"", page, StringComparison.Ordinal);
        var form = new Dictionary<string, string> { ["_handler"] = handler, ["__RequestVerificationToken"] = AntiforgeryField().Match(page).Groups[1].Value };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        var response = await client.PostAsync("/console/oncall", new FormUrlEncodedContent(form));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{handler} -> {(int)response.StatusCode}: {html}");
        return html;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var admin = _server.Admin();
        return await admin.GetFromJsonAsync<JsonElement>(path);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
