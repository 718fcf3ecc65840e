using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Notifications;

namespace Vigil.Server.Tests.Notifications;

public sealed class SlackChannelTests
{
    private const string TokenPath = "/services/T0VIGIL01/B0VIGIL02/xoxTOKENabcdef1234567890";

    /// <summary>Answers like Slack: 200 "ok" on the right path, 404 "no_service" elsewhere.</summary>
    private static Task SlackLike(HttpContext ctx, ReceivedRequest request)
    {
        if (request.PathAndQuery == TokenPath)
        {
            ctx.Response.ContentType = "text/plain";
            return ctx.Response.WriteAsync("ok");
        }

        ctx.Response.StatusCode = 404;
        // Echoes the path, which is the token: the channel must not let it through.
        return ctx.Response.WriteAsync($"no_service for {request.PathAndQuery}");
    }

    private static JsonElement Json(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();

    [Fact]
    public async Task SendAsync_Trigger_PostsSlackPayloadAndSucceedsOnOk()
    {
        await using var receiver = await HttpReceiver.StartAsync(SlackLike);
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Slack(receiver.Url(TokenPath), channel: "#ops", mention: "@here"),
            NotificationFixtures.Message());

        Assert.True(result.Success, result.Error);
        Assert.Equal(200, result.HttpStatus);
        Assert.Equal("200 OK: ok", result.Reply);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        var json = Json(request);
        Assert.Equal(
            "@here :rotating_light: [P1] <https://ops.example.com/incidents/12|#12 Disk full on db-1> — service api — triggered\ndisk / at 97% (critical above 95)",
            json.GetProperty("text").GetString());
        Assert.Equal("Vigil Test", json.GetProperty("username").GetString());
        Assert.Equal("#ops", json.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task SendAsync_RecipientWithHandle_MentionsThePerson()
    {
        await using var receiver = await HttpReceiver.StartAsync(SlackLike);
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Slack(receiver.Url(TokenPath), mention: "@here"),
            NotificationFixtures.Message(recipient: NotificationFixtures.Alice, url: null, title: "A <b> & c"));

        Assert.True(result.Success, result.Error);
        var json = Json(Assert.Single(receiver.Requests));
        Assert.StartsWith("@alice :rotating_light: [P1] #12 A &lt;b&gt; &amp; c — service api — triggered", json.GetProperty("text").GetString());
        Assert.False(json.TryGetProperty("channel", out _));
    }

    [Fact]
    public async Task SendAsync_Resolve_ResolvedTextWithoutNotifierMention()
    {
        await using var receiver = await HttpReceiver.StartAsync(SlackLike);
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Slack(receiver.Url(TokenPath), mention: "@here"),
            NotificationFixtures.Message(NotificationKind.Resolve));

        Assert.True(result.Success, result.Error);
        var text = Json(Assert.Single(receiver.Requests)).GetProperty("text").GetString();
        Assert.StartsWith(":white_check_mark: [P1] <https://ops.example.com/incidents/12|#12 Disk full on db-1> — service api — resolved", text);
    }

    [Fact]
    public async Task SendAsync_SlackRejects_FailedWithoutLeakingTheWebhookUrl()
    {
        await using var receiver = await HttpReceiver.StartAsync(SlackLike);
        using var host = NotificationFixtures.Channels();
        var wrong = "/services/T0VIGIL01/B0VIGIL02/xoxWRONGTOKEN0987654321";

        var result = await host.SendAsync(NotificationFixtures.Slack(receiver.Url(wrong)), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal(404, result.HttpStatus);
        Assert.Equal($"Slack webhook {receiver.BaseAddress.GetLeftPart(UriPartial.Authority)}/… answered HTTP 404 Not Found, expected 2xx", result.Error);
        Assert.StartsWith("404 Not Found: no_service for ", result.Reply);
        Assert.DoesNotContain("xoxWRONGTOKEN", result.Reply);
        Assert.DoesNotContain("B0VIGIL02", result.Reply);
        Assert.DoesNotContain("xoxWRONGTOKEN", host.Logs.All);
    }

    [Fact]
    public async Task SendAsync_SlackUnreachable_FailedWithoutLeakingTheWebhookUrl()
    {
        var port = WebhookChannelTests.ClosedPort();
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Slack($"http://127.0.0.1:{port}{TokenPath}"), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal($"connection to Slack webhook http://127.0.0.1:{port}/… refused (is the receiver running?)", result.Error);
        Assert.DoesNotContain("xoxTOKEN", host.Logs.All);
    }
}
