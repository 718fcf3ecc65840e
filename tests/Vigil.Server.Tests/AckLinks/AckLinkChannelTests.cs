using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Server.AckLinks;
using Vigil.Server.Escalation;
using Vigil.Server.Notifications;
using Vigil.Server.Notifications.Channels;
using Vigil.Server.Tests.Lifecycle;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.AckLinks;

/// <summary>
/// One page to Alice over the six channels that show links (email, Slack, Teams, Mattermost, Telegram,
/// ntfy), through the escalation engine on a fake clock and a real SQLite store, to loopback receivers:
/// each request carries its own acknowledge link, signed for Alice and this incident, and the console link.
/// Without <c>public_url</c> they carry neither.
/// </summary>
public sealed partial class AckLinkChannelTests
{
    private static string Config(Uri b, int smtpPort, bool publicUrl) => $$"""
        vigil:
          name: ack-channels-test
        {{(publicUrl ? "  public_url: https://ops.example.com/vigil" : "")}}
        services:
          - { id: api }
        people:
          - { id: alice, name: Alice, email: alice@example.com, notify_via: [mail, slack, teams, mm, tg, ntfy] }
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
        notifiers:
          - id: mail
            email: { smtp: "smtp://127.0.0.1:{{smtpPort}}", from: vigil@example.com, to: [ops@example.com] }
          - id: slack
            slack: { webhook_url: "{{new Uri(b, "/slack")}}" }
          - id: teams
            teams: { webhook_url: "{{new Uri(b, HttpChannelsTests.TeamsPath)}}{{HttpChannelsTests.TeamsQuery}}" }
          - id: mm
            mattermost: { webhook_url: "{{new Uri(b, HttpChannelsTests.MattermostPath)}}" }
          - id: tg
            telegram: { bot_token: "{{HttpChannelsTests.TelegramToken}}", chat_id: "-100123", api_url: "{{b}}" }
          - id: ntfy
            ntfy: { url: "{{b}}", topic: {{HttpChannelsTests.NtfyTopic}}, token: {{HttpChannelsTests.NtfyToken}} }
        """;

    [GeneratedRegex(@"https://ops\.example\.com/vigil/console/ack/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")]
    private static partial Regex AckLink();

    private static async Task<(List<(string Channel, string Body)> Bodies, long Id, AckLinkService Links)> PageAsync(bool publicUrl)
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, request) =>
        {
            ctx.Response.StatusCode = request.PathAndQuery.StartsWith(HttpChannelsTests.TeamsPath, StringComparison.Ordinal) ? 202 : 200;
            return ctx.Response.WriteAsync(request.PathAndQuery.StartsWith(HttpChannelsTests.MattermostPath, StringComparison.Ordinal) ? "ok" : "{\"ok\":true}");
        });
        await using var smtp = new SmtpTestServer();
        await using var h = await LifecycleHarness.StartAsync(Config(receiver.BaseAddress, smtp.Port, publicUrl));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(h.Time).AddLogging().AddVigilNotificationChannels().BuildServiceProvider();
        await using var _ = services;
        var links = new AckLinkService(h.Store, h.Time);
        using var engine = new EscalationEngine(h.Store, h.Policies, services.GetRequiredService<INotificationChannel>(), h.Time, h.Health, new FixedRandom(0.5),
            ackLinks: links);
        var id = (await h.ApplyAsync(new Signal(SignalSource.Events, "api-down", SignalStatus.Firing, "api is down", "P1", "api",
            new Dictionary<string, string> { ["service"] = "api" }, h.Now))).IncidentId!.Value;

        await engine.SweepAsync(CancellationToken.None);
        var ledger = await h.Store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(id, false, 10, c), CancellationToken.None);
        Assert.Equal(6, ledger.Count);
        Assert.All(ledger, n => Assert.True(n.State == NotificationState.Delivered, $"{n.NotifierId}: {n.LastError}"));
        var bodies = receiver.Requests.Select(r => (Channel: ChannelOf(r.PathAndQuery), Body: WebUtility.HtmlDecode(r.BodyText)))
            .Append((Channel: "email", Body: Assert.Single(smtp.Messages).Data)).ToList();
        Assert.Equal(["email", "mattermost", "ntfy", "slack", "teams", "telegram"], bodies.Select(b => b.Channel).Order());
        return (bodies, id, links);
    }

    private static string ChannelOf(string path) =>
        path.StartsWith("/slack", StringComparison.Ordinal) ? "slack"
        : path.StartsWith(HttpChannelsTests.TeamsPath, StringComparison.Ordinal) ? "teams"
        : path.StartsWith(HttpChannelsTests.MattermostPath, StringComparison.Ordinal) ? "mattermost"
        : path.StartsWith("/bot", StringComparison.Ordinal) ? "telegram"
        : "ntfy";

    [Fact]
    public async Task Page_OverEverySixChannels_CarriesAnAckLinkForThePersonAndIncident_AndTheConsoleLink()
    {
        var (bodies, id, links) = await PageAsync(publicUrl: true);

        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (channel, body) in bodies)
        {
            // E-mail bodies may be wrapped (quoted-printable): compare without soft line breaks.
            var text = channel == "email" ? body.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal) : body;
            var match = AckLink().Match(text);
            Assert.True(match.Success, $"{channel} carries no acknowledge link: {text}");
            Assert.Contains($"https://ops.example.com/vigil/console/incidents/{id}", text, StringComparison.Ordinal);
            var (check, claims) = await links.ReadAsync(match.Groups[1].Value, CancellationToken.None);
            Assert.Equal(AckLinkCheck.Valid, check);
            Assert.Equal((id, 0L, "alice"), (claims!.IncidentId, claims.Generation, claims.PersonId));
            Assert.True(tokens.Add(claims.TokenId), $"{channel} reuses another message's token id");
        }
    }

    [Fact]
    public async Task Page_WithoutPublicUrl_CarriesNoLinks()
    {
        var (bodies, _, _) = await PageAsync(publicUrl: false);

        Assert.All(bodies, b => Assert.DoesNotContain("/console/", b.Body, StringComparison.Ordinal));
    }
}
