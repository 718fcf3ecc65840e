using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.StatusPage;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.StatusPage;

/// <summary>
/// The public status page over real HTTP against a real server: only public services, only public
/// updates, no internal detail; ETags and 304s; the JSON, Atom feed and badges; public updates by API and CLI.
/// </summary>
public sealed class StatusPageTests : IAsyncLifetime
{
    // Check targets, tokens, labels, the owner and the private service must never reach the public page. The public
    // service's one check is a daily heartbeat that is never pinged: unknown until its first evaluation, then ok (its first
    // evaluation comes at the check's phase in the minute, which can fall while a test runs).
    private const string Config = """
        vigil: { name: acme, environment: dev }
        services:
          - id: api
            name: Public API
            description: The REST API for customers
            owner: team-secret-owner
            public: true
            labels: { tier: label-secret-value }
            checks:
              - id: health
                heartbeat: { period: 1d, grace: 1h, token: hb-secret-token-0123456789 }
          - id: db
            name: Internal Database
            checks:
              - id: ping
                http: { url: "http://127.0.0.1:1/secret-target-path" }
                every: 1h
        status_page:
          title: Acme Status
          message: We publish incidents here.
        """;

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Config);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private StatusPagePublisher Publisher => _server.App.Services.GetRequiredService<StatusPagePublisher>();

    private async Task<long> OpenIncidentAsync(string service, string title)
    {
        using var admin = _server.Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/incidents", new { title, severity = "P1", service });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IncidentDetailView>(VigilJson.Options))!.Incident.Id;
    }

    /// <summary>Reads the page until <paramref name="done"/> holds, waiting on the publisher's rebuilds (no sleeps).</summary>
    private Task<string> PageWhenAsync(string path, Func<string, bool> done, string what) =>
        Eventually.UntilAsync(async () =>
        {
            using var anonymous = _server.Client();
            var response = await anonymous.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : "";
        }, done, Publisher.NextBuildAsync, TimeSpan.FromSeconds(30), what);

    [Fact]
    public async Task StatusPage_Anonymous_ShowsPublicServiceAndPublicUpdatesOnly_NeverInternals()
    {
        var id = await OpenIncidentAsync("api", "SECRET-TITLE api check failed on 10.0.0.7");
        var internalOnly = await OpenIncidentAsync("db", "db is down");
        using var admin = _server.Admin();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = "internal-note-text: restart pod x" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/public-updates", new { text = "We are investigating <slow> responses & errors." })).EnsureSuccessStatusCode();

        var html = await PageWhenAsync("/status", h => h.Contains("We are investigating", StringComparison.Ordinal), "the public update on /status");

        Assert.Contains("<title>Acme Status</title>", html, StringComparison.Ordinal);
        Assert.Contains("Public API", html, StringComparison.Ordinal);
        Assert.Contains("The REST API for customers", html, StringComparison.Ordinal);
        Assert.Contains("We publish incidents here.", html, StringComparison.Ordinal);
        Assert.Contains("We are investigating &lt;slow&gt; responses &amp; errors.", html, StringComparison.Ordinal);
        Assert.Contains($"Incident #{id}", html, StringComparison.Ordinal);
        Assert.Contains("Investigating", html, StringComparison.Ordinal);
        foreach (var secret in new[] { "SECRET-TITLE", "10.0.0.7", "internal-note-text", "team-secret-owner", "label-secret-value", "Internal Database",
            "secret-target-path", "127.0.0.1", "hb-secret-token", "admin", $"#{internalOnly}<", "<script", "style=" })
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StatusPage_Headers_StrongETagCacheControlAndScriptlessCsp_304OnIfNoneMatch()
    {
        await PageWhenAsync("/status", h => h.Length > 0, "the first snapshot");
        using var client = _server.Client();

        var first = await client.GetAsync("/status");
        var second = await client.GetAsync("/status");

        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag!.IsWeak);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Contains("max-age=30", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var csp = string.Join(";", first.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/status");
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        // The stylesheet the page links to is served from this origin.
        var css = await client.GetAsync(System.Text.RegularExpressions.Regex.Match(await first.Content.ReadAsStringAsync(), "href=\"(/status/status\\.css[^\"]*)\"").Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("prefers-color-scheme:dark", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusPage_AcceptGzip_GetsTheSameBytesCompressed_WithItsOwnETag()
    {
        await PageWhenAsync("/status", h => h.Length > 0, "the first snapshot");
        using var client = _server.Client();
        var plain = await client.GetAsync("/status");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate");
        var compressed = await client.SendAsync(request);

        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        Assert.NotEqual(plain.Headers.ETag, compressed.Headers.ETag);
        await using var gzip = new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var unpacked = new MemoryStream();
        await gzip.CopyToAsync(unpacked);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), unpacked.ToArray());
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/status");
        refused.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip;q=0");
        Assert.Empty((await client.SendAsync(refused)).Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task StatusPage_AfterPublicUpdate_ETagChanges_AndOldETagGetsTheNewPage()
    {
        var id = await OpenIncidentAsync("api", "latency");
        await PageWhenAsync("/status", h => h.Contains($"Incident #{id}", StringComparison.Ordinal), "the incident on /status");
        using var client = _server.Client();
        var before = (await client.GetAsync("/status")).Headers.ETag!;
        using var admin = _server.Admin();

        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/public-updates", new { text = "Fixed a bad deploy." })).EnsureSuccessStatusCode();
        await PageWhenAsync("/status", h => h.Contains("Fixed a bad deploy.", StringComparison.Ordinal), "the update on /status");

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/status");
        conditional.Headers.IfNoneMatch.Add(before);
        var response = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(before, response.Headers.ETag);
    }

    [Fact]
    public async Task StatusJson_DocumentedShape_PublicServiceIncidentAndUpdate()
    {
        var id = await OpenIncidentAsync("api", "internal title");
        using var admin = _server.Admin();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/public-updates", new { text = "Looking into it." })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/ack", new { })).EnsureSuccessStatusCode();

        var text = await PageWhenAsync("/status.json", j => j.Contains("identified", StringComparison.Ordinal), "the acknowledged incident in /status.json");

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("Acme Status", root.GetProperty("title").GetString());
        Assert.Equal("We publish incidents here.", root.GetProperty("message").GetString());
        Assert.Equal("degraded", root.GetProperty("overall").GetProperty("state").GetString());
        var service = Assert.Single(root.GetProperty("services").EnumerateArray());
        Assert.Equal("api", service.GetProperty("id").GetString());
        Assert.Equal("degraded", service.GetProperty("state").GetString());
        Assert.Equal(90, service.GetProperty("daily_uptime").GetArrayLength());
        var incident = Assert.Single(root.GetProperty("open_incidents").EnumerateArray());
        Assert.Equal(id, incident.GetProperty("id").GetInt64());
        Assert.Equal("High", incident.GetProperty("severity").GetString());
        Assert.Equal("identified", incident.GetProperty("status").GetString());
        Assert.Equal("Looking into it.", Assert.Single(incident.GetProperty("updates").EnumerateArray()).GetProperty("text").GetString());
        Assert.False(incident.TryGetProperty("title", out _));
        Assert.DoesNotContain("internal title", text, StringComparison.Ordinal);
        Assert.Equal(0, root.GetProperty("recent_incidents").GetArrayLength());
    }

    [Fact]
    public async Task Feed_ResolvedIncident_IsAnAtomEntryWithItsPublicUpdate()
    {
        var id = await OpenIncidentAsync("api", "title not for the feed");
        using var admin = _server.Admin();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/public-updates", new { text = "All fixed now." })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { })).EnsureSuccessStatusCode();

        var xml = await PageWhenAsync("/status/feed.atom", x => x.Contains("resolved", StringComparison.Ordinal), "the resolved incident in the feed");

        XNamespace atom = "http://www.w3.org/2005/Atom";
        var feed = XDocument.Parse(xml).Root!;
        Assert.Equal(atom + "feed", feed.Name);
        Assert.Equal("Acme Status", feed.Element(atom + "title")!.Value);
        var entry = Assert.Single(feed.Elements(atom + "entry"));
        Assert.Equal($"Public API: resolved (incident #{id})", entry.Element(atom + "title")!.Value);
        Assert.Contains("All fixed now.", entry.Element(atom + "content")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("title not for the feed", xml, StringComparison.Ordinal);
        using var client = _server.Client();
        var response = await client.GetAsync("/status/feed.atom");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Badges_PublicService_StateAndUptimeSvg_PrivateAndUnknown_SameClear404()
    {
        await PageWhenAsync("/status", h => h.Length > 0, "the first snapshot");
        using var client = _server.Client();

        var state = await client.GetAsync("/badge/api.svg");
        var uptime = await client.GetAsync("/badge/api/uptime.svg");
        var internalService = await client.GetAsync("/badge/db.svg");
        var unknown = await client.GetAsync("/badge/nope.svg");
        var notSvg = await client.GetAsync("/badge/api.png");

        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Assert.Equal("image/svg+xml", state.Content.Headers.ContentType?.MediaType);
        var stateSvg = XDocument.Parse(await state.Content.ReadAsStringAsync()).Root!;
        Assert.Contains(stateSvg.Attribute("aria-label")!.Value, new[] { "Public API: unknown", "Public API: operational" });
        Assert.NotNull(state.Headers.ETag);
        Assert.Contains("Public API uptime: no data", await uptime.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, internalService.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notSvg.StatusCode);
        Assert.Equal("application/problem+json", internalService.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await internalService.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains("No public service 'db'", detail, StringComparison.Ordinal);
        Assert.Equal(detail!.Replace("'db'", "'nope'", StringComparison.Ordinal),
            JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PublicUpdate_Cli_PostsAndIsAudited_RefusalsAreClear()
    {
        var id = await OpenIncidentAsync("api", "x");
        var internalOnly = await OpenIncidentAsync("db", "y");

        var posted = await _server.CliAsync("incident", "update", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--public", "Mitigation in progress.");
        var refused = await _server.CliAsync("incident", "update", internalOnly.ToString(System.Globalization.CultureInfo.InvariantCulture), "--public", "nope");
        using var admin = _server.Admin();
        var empty = await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/public-updates", new { text = "  " });
        var missing = await admin.PostAsJsonAsync("/api/v1/incidents/99999/public-updates", new { text = "hello" });

        Assert.True(posted.ExitCode == 0, posted.ToString());
        Assert.Contains("Posted a public update", posted.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("not on the status page", refused.Error + refused.Out, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var detail = await admin.GetFromJsonAsync<IncidentDetailView>($"/api/v1/incidents/{id}", VigilJson.Options);
        var entry = Assert.Single(detail!.Timeline, t => t.Kind == "public_update");
        Assert.Equal(("Mitigation in progress.", "admin"), (entry.Text, entry.Actor));
        var store = _server.App.Services.GetRequiredService<IVigilStore>();
        var audit = await store.ReadAsync((s, c) => s.Audit.ListAfterAsync(0, 1000, c), CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "incident.public_update" && a.Target == $"incident/{id}" && a.Actor == "admin");
        await PageWhenAsync("/status", h => h.Contains("Mitigation in progress.", StringComparison.Ordinal), "the CLI's update on /status");
    }

    [Fact]
    public async Task Window_CoveringThePublicService_ShowsMaintenanceInProgress()
    {
        using var admin = _server.Admin();
        (await admin.PostAsJsonAsync("/api/v1/windows", new { services = new[] { "api" }, duration = "2h", reason = "Database upgrade" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/windows", new { services = new[] { "db" }, duration = "2h", reason = "private-window-reason" })).EnsureSuccessStatusCode();

        var html = await PageWhenAsync("/status", h => h.Contains("Maintenance in progress", StringComparison.Ordinal), "the window on /status");

        Assert.Contains("Database upgrade", html, StringComparison.Ordinal);
        Assert.DoesNotContain("private-window-reason", html, StringComparison.Ordinal);
        Assert.Contains("s-maintenance", html, StringComparison.Ordinal);
    }
}
