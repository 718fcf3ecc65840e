using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Server.Escalation;
using Vigil.Server.Notifications;
using Vigil.Server.Notifications.Channels;
using Vigil.Server.Tests.Lifecycle;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Notifications;

/// <summary>
/// Every described HTTP channel through the escalation engine on a fake clock, a real SQLite ledger
/// and a loopback receiver: the first attempt fails (503, the receiver echoing what it got), the
/// retry after the backoff succeeds, and the ledger holds both attempts without a secret.
/// </summary>
public sealed class HttpChannelLedgerTests
{
    private static string Notifier(string kind, Uri b) => kind switch
    {
        "teams" => $"teams: {{ webhook_url: \"{new Uri(b, HttpChannelsTests.TeamsPath)}{HttpChannelsTests.TeamsQuery}\" }}",
        "mattermost" => $"mattermost: {{ webhook_url: \"{new Uri(b, HttpChannelsTests.MattermostPath)}\" }}",
        "discord" => $"discord: {{ webhook_url: \"{new Uri(b, HttpChannelsTests.DiscordPath)}\" }}",
        "telegram" => $"telegram: {{ bot_token: \"{HttpChannelsTests.TelegramToken}\", chat_id: \"-100123\", api_url: \"{b}\" }}",
        "ntfy" => $"ntfy: {{ url: \"{b}\", topic: {HttpChannelsTests.NtfyTopic}, token: {HttpChannelsTests.NtfyToken} }}",
        "pushover" => $"pushover: {{ token: {HttpChannelsTests.PushoverToken}, user: {HttpChannelsTests.PushoverUser}, api_url: \"{b}\" }}",
        "pagerduty" => $"pagerduty: {{ routing_key: {HttpChannelsTests.PagerDutyKey}, api_url: \"{b}\" }}",
        "twilio" => $"twilio: {{ account_sid: {HttpChannelsTests.TwilioSid}, auth_token: {HttpChannelsTests.TwilioToken}, from: \"+15017122661\", api_url: \"{b}\" }}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Config(string kind, Uri b) => $$"""
        vigil: { name: channel-ledger-test }
        services:
          - { id: api }
        people:
          - { id: alice, name: Alice, phone: "+4915100000", notify_via: [chan] }
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
        notifiers:
          - id: chan
            {{Notifier(kind, b)}}
            retry: { attempts: 3, initial_backoff: 10s, max_backoff: 1m }
        """;

    [Theory]
    [MemberData(nameof(HttpChannelsTests.Kinds), MemberType = typeof(HttpChannelsTests))]
    public async Task FailedAttempt_IsRetried_AndBothAreInTheLedgerWithoutSecrets(string kind)
    {
        var calls = 0;
        await using var receiver = await HttpReceiver.StartAsync((ctx, request) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.StatusCode = 503;
                return ctx.Response.WriteAsync($"busy {request.PathAndQuery} auth={request.Header("Authorization")} body={request.BodyText}");
            }

            ctx.Response.StatusCode = kind is "twilio" ? 201 : kind is "teams" or "pagerduty" ? 202 : 200;
            return ctx.Response.WriteAsync(kind is "mattermost" ? "ok" : "{}");
        });
        await using var h = await LifecycleHarness.StartAsync(Config(kind, receiver.BaseAddress));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(h.Time).AddLogging().AddVigilNotificationChannels().BuildServiceProvider();
        await using var _ = services;
        using var engine = new EscalationEngine(h.Store, h.Policies, services.GetRequiredService<INotificationChannel>(), h.Time, h.Health, new FixedRandom(0.5));
        var signal = new Signal(SignalSource.Events, "api-down", SignalStatus.Firing, "api is down", "P1", "api",
            new Dictionary<string, string> { ["service"] = "api" }, h.Now);
        var id = (await h.ApplyAsync(signal)).IncidentId!.Value;

        await engine.SweepAsync(CancellationToken.None);
        var n = Assert.Single(await h.Store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(id, false, 10, c), CancellationToken.None));
        Assert.Equal((NotificationState.Pending, 1), (n.State, n.Attempts));
        Assert.Contains("answered HTTP 503", n.LastError, StringComparison.Ordinal);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        await engine.SweepAsync(CancellationToken.None);
        n = Assert.Single(await h.Store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(id, false, 10, c), CancellationToken.None));
        Assert.Equal(NotificationState.Delivered, n.State);
        var attempts = await h.Store.ReadAsync((s, c) => s.Paging.ListAttemptsAsync(n.Id, c), CancellationToken.None);
        Assert.Equal([false, true], attempts.Select(a => a.Success));
        Assert.Equal(503, attempts[0].HttpStatus);
        Assert.StartsWith("503 Service Unavailable: busy ", attempts[0].Reply, StringComparison.Ordinal);
        Assert.Equal(2, receiver.Requests.Count);
        var stored = string.Join("\n", attempts.Select(a => $"{a.Reply} {a.Error}")) + n.LastError;
        foreach (var secret in HttpChannelsTests.Secrets(kind))
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        var timeline = await h.TimelineAsync(id);
        Assert.DoesNotContain(timeline, t => HttpChannelsTests.Secrets(kind).Any(s => t.Text.Contains(s, StringComparison.Ordinal)));
    }
}
