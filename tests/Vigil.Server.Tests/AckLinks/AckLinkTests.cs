using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Storage;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.AckLinks;

/// <summary>
/// Signed one-click acknowledge links end to end: a real server on 127.0.0.1 over a real SQLite file on a
/// fake clock pages Alice through a Slack webhook on loopback; the link in that message is then opened
/// (GET) and used (POST) as a browser would, without any API token.
/// </summary>
public sealed partial class AckLinkTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static string Config(Uri hook) => $$"""
        vigil:
          name: ack-link-test
          environment: dev
          public_url: https://vigil.example.com/
          ack_link_lifetime: 2h
        services:
          - id: web
            name: Web
        people:
          - { id: alice, name: Alice Example, notify_via: [chat] }
          - { id: bob, name: Bob Example, notify_via: [chat] }
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
        notifiers:
          - id: chat
            slack: { webhook_url: "{{new Uri(hook, "/slack")}}" }
        """;

    [GeneratedRegex(@"https://vigil\.example\.com/console/ack/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")]
    private static partial Regex AckLink();

    private sealed record Setup(TestServer Server, HttpReceiver Receiver, FakeTimeProvider Time) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var receiver = await HttpReceiver.StartAsync((ctx, _) => { ctx.Response.StatusCode = 200; return ctx.Response.WriteAsync("ok"); });
        var time = new FakeTimeProvider(T0);
        return new Setup(await TestServer.StartAsync(Config(receiver.BaseAddress), time), receiver, time);
    }

    /// <summary>Opens an incident through the API and waits for Alice's page; returns the incident and the token in the page.</summary>
    private static async Task<(long Id, string Token, string Text)> PageAsync(Setup s, string title)
    {
        using var admin = s.Server.Admin();
        var before = s.Receiver.Requests.Count;
        var created = await admin.PostAsJsonAsync("/api/v1/incidents", new { title, severity = "P1", service = "web" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incident").GetProperty("id").GetInt64();
        var store = s.Server.App.Services.GetRequiredService<IVigilStore>();
        var text = await Eventually.ValueAsync(() => Task.FromResult(s.Receiver.Requests.Skip(before)
                .Select(r => JsonDocument.Parse(r.BodyText).RootElement.GetProperty("text").GetString())
                .FirstOrDefault(t => t!.Contains($"#{id} ", StringComparison.Ordinal))),
            store.NextCommitAsync, TimeSpan.FromSeconds(20), $"the page for #{id}");
        var match = AckLink().Match(text!);
        Assert.True(match.Success, text);
        Assert.Contains($"<https://vigil.example.com/console/incidents/{id}|Open in console>", text, StringComparison.Ordinal);
        return (id, match.Groups[1].Value, text!);
    }

    private static async Task<string> StatusAsync(Setup s, long id)
    {
        using var admin = s.Server.Admin();
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("incident").GetProperty("status").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, string Html)> OpenAsync(Setup s, string token)
    {
        using var browser = s.Server.Client();
        var response = await browser.GetAsync($"/console/ack/{token}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Html)> PressAsync(Setup s, string token)
    {
        using var browser = s.Server.Client();
        var response = await browser.PostAsync($"/console/ack/{token}", new FormUrlEncodedContent([new("token", token)]));
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ShowsConfirmation_AndDoesNotAcknowledge_ThenPost_AcknowledgesAsThePerson_AndASecondUseIsRefused()
    {
        await using var s = await StartAsync();
        var (id, token, _) = await PageAsync(s, "Checkout <b>slow</b>");

        var (status, html) = await OpenAsync(s, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Acknowledge incident #{id}?", html, StringComparison.Ordinal);
        Assert.Contains("Checkout &lt;b&gt;slow&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Alice Example (alice)", html, StringComparison.Ordinal);
        Assert.Contains($"<form method=\"post\" action=\"/console/ack/{token}\">", html, StringComparison.Ordinal);
        Assert.Equal("triggered", await StatusAsync(s, id));
        (status, _) = await OpenAsync(s, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("triggered", await StatusAsync(s, id));

        (status, html) = await PressAsync(s, token);
        Assert.True(status == HttpStatusCode.OK, html);
        Assert.Contains("Acknowledged by Alice Example (alice)", html, StringComparison.Ordinal);
        Assert.Equal("acknowledged", await StatusAsync(s, id));

        var store = s.Server.App.Services.GetRequiredService<IVigilStore>();
        var audit = await store.ReadAsync((x, c) => x.Audit.TailAsync(100, c), CancellationToken.None);
        var ack = Assert.Single(audit, e => e.Action == "incident.acknowledge");
        Assert.Equal(("alice", $"incident/{id}", "ack link"), (ack.Actor, ack.Target, ack.Reason));
        Assert.Single(audit, e => e.Action == "ack_link.key_create");
        var timeline = await store.ReadAsync((x, c) => x.Incidents.ListTimelineAsync(id, c), CancellationToken.None);
        Assert.Contains(timeline, t => t.Kind == "acknowledged" && t.Actor == "alice" && t.Text == "Acknowledged by alice: ack link");

        (status, html) = await PressAsync(s, token);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("This link was already used", html, StringComparison.Ordinal);
        (status, html) = await OpenAsync(s, token);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("already used", html, StringComparison.Ordinal);
        Assert.Single(await store.ReadAsync((x, c) => x.Audit.TailAsync(100, c), CancellationToken.None), e => e.Action == "incident.acknowledge");
    }

    [Fact]
    public async Task ExpiredLink_IsRefused_AndAcknowledgesNothing()
    {
        await using var s = await StartAsync();
        var (id, token, _) = await PageAsync(s, "disk full");

        s.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(s, token)).Status);
        s.Time.Advance(TimeSpan.FromSeconds(1));
        var (status, html) = await OpenAsync(s, token);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Contains("This link has expired", html, StringComparison.Ordinal);
        (status, _) = await PressAsync(s, token);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("triggered", await StatusAsync(s, id));
    }

    [Fact]
    public async Task TamperedOrForgedLinks_AreRefused_NeverA500_AndAcknowledgeNothing()
    {
        await using var s = await StartAsync();
        var (id, token, _) = await PageAsync(s, "api errors");
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
        Assert.Contains("|alice|", payload, StringComparison.Ordinal);

        // Bob was not paged: rewriting the person in Alice's link keeps her signature, which no longer matches.
        var asBob = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("|alice|", "|bob|", StringComparison.Ordinal))) + token[dot..];
        // A later expiry, the same way.
        var parts = payload.Split('|');
        parts[5] = (long.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture) + 86400).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var longer = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|', parts))) + token[dot..];
        var flipped = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        foreach (var forged in new[] { asBob, longer, flipped, token + "AAAA" })
        {
            var (status, html) = await PressAsync(s, forged);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("This link is not valid", html, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await OpenAsync(s, forged)).Status);
        }

        foreach (var junk in new[] { "nonsense", token[..dot], token + "~", "a.b.c", token.Replace('.', '!'), new string('A', 600) + ".AA" })
        {
            var (status, html) = await PressAsync(s, junk);
            Assert.True(status == HttpStatusCode.BadRequest, $"{junk}: {status} {html}");
            Assert.Contains("This is not an acknowledge link", html, StringComparison.Ordinal);
        }

        var (mismatch, _) = await PostFormAsync(s, token, "someone-elses-token");
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.Equal("triggered", await StatusAsync(s, id));

        var store = s.Server.App.Services.GetRequiredService<IVigilStore>();
        Assert.DoesNotContain(await store.ReadAsync((x, c) => x.Audit.TailAsync(100, c), CancellationToken.None), e => e.Action == "incident.acknowledge");
        Assert.Equal(HttpStatusCode.OK, (await PressAsync(s, token)).Status);
    }

    [Fact]
    public async Task LinkToAnIncidentAlreadyAcknowledgedOrResolved_IsRefusedWithConflict_AndStaysUnused()
    {
        await using var s = await StartAsync();
        var (id, token, _) = await PageAsync(s, "queue backlog");
        using var admin = s.Server.Admin();
        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/ack", new { })).EnsureSuccessStatusCode();

        var (status, html) = await OpenAsync(s, token);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already acknowledged by admin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        (status, _) = await PressAsync(s, token);
        Assert.Equal(HttpStatusCode.Conflict, status);

        (await admin.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { })).EnsureSuccessStatusCode();
        (status, html) = await PressAsync(s, token);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("is already resolved", html, StringComparison.Ordinal);

        var store = s.Server.App.Services.GetRequiredService<IVigilStore>();
        var tokenId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal)))).Split('|')[1];
        Assert.Null(await store.ReadAsync((x, c) => x.AckLinks.FindUseAsync(tokenId, c), CancellationToken.None));
    }

    private static async Task<(HttpStatusCode, string)> PostFormAsync(Setup s, string token, string posted)
    {
        using var browser = s.Server.Client();
        var response = await browser.PostAsync($"/console/ack/{token}", new FormUrlEncodedContent([new("token", posted)]));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
