using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Tests.Notifications;

/// <summary>
/// The described HTTP channels (Teams, Mattermost, Discord, Telegram, ntfy, Pushover, PagerDuty,
/// Twilio) against a loopback receiver: the exact request each vendor documents (method, path,
/// headers, auth, body), the resolve notice, and no secret in results or logs.
/// </summary>
public sealed class HttpChannelsTests
{
    internal const string TeamsPath = "/workflows/4f1c2a/triggers/manual/paths/invoke";
    internal const string TeamsQuery = "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=TEAMSsig0123456789abcdef";
    internal const string MattermostPath = "/hooks/mmhookKEY0123456789abc";
    internal const string DiscordPath = "/api/webhooks/112233445566/DISCORDtoken0123456789abcdef";
    internal const string TelegramToken = "123456789:AAFtelegramSECRET0123456789abcdef";
    internal const string NtfyTopic = "vigil-ops-SECRETtopic42";
    internal const string NtfyToken = "tk_NTFYtoken0123456789abcdef";
    internal const string PushoverToken = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
    internal const string PushoverUser = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
    internal const string PagerDutyKey = "R0UT1NGKEYpagerduty0123456789ab";
    internal const string TwilioSid = "AC0123456789abcdef0123456789abcdef";
    internal const string TwilioToken = "TWILIOauthTOKEN0123456789abcdef";

    internal static NotifierConfig Teams(HttpReceiver r) => new() { Id = "teams", Teams = new() { WebhookUrl = r.Url(TeamsPath) + TeamsQuery } };

    internal static NotifierConfig Mattermost(HttpReceiver r) => new() { Id = "mm", Mattermost = new() { WebhookUrl = r.Url(MattermostPath), Channel = "ops", Mention = "@channel" } };

    internal static NotifierConfig Discord(HttpReceiver r) => new() { Id = "discord", Discord = new() { WebhookUrl = r.Url(DiscordPath), Mention = "<@&987654321>" } };

    internal static NotifierConfig Telegram(HttpReceiver r) => new() { Id = "tg", Telegram = new() { BotToken = TelegramToken, ChatId = "-1001234567890", ApiUrl = r.BaseAddress.ToString() } };

    internal static NotifierConfig Ntfy(HttpReceiver r) => new() { Id = "ntfy", Ntfy = new() { Url = r.BaseAddress.ToString(), Topic = NtfyTopic, Token = NtfyToken } };

    internal static NotifierConfig Pushover(HttpReceiver r) => new() { Id = "pushover", Pushover = new() { Token = PushoverToken, User = PushoverUser, ApiUrl = r.BaseAddress.ToString() } };

    internal static NotifierConfig PagerDuty(HttpReceiver r) => new() { Id = "pd", PagerDuty = new() { RoutingKey = PagerDutyKey, ApiUrl = r.BaseAddress.ToString() } };

    internal static NotifierConfig Twilio(HttpReceiver r, TwilioMode mode = TwilioMode.Sms, string? to = null) =>
        new() { Id = "twilio", Twilio = new() { AccountSid = TwilioSid, AuthToken = TwilioToken, From = "+15017122661", To = to, Mode = mode, ApiUrl = r.BaseAddress.ToString() } };

    internal static Func<HttpContext, ReceivedRequest, Task> Answer(int status, string body = "") => (ctx, _) =>
    {
        ctx.Response.StatusCode = status;
        return body.Length == 0 ? Task.CompletedTask : ctx.Response.WriteAsync(body);
    };

    private static JsonElement Json(ReceivedRequest request)
    {
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }

    private static Dictionary<string, string> Form(ReceivedRequest request)
    {
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        return request.BodyText.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
    }

    private static async Task<(DeliveryResult Result, ReceivedRequest Request)> SendAsync(
        Func<HttpReceiver, NotifierConfig> notifier, NotificationMessage message, int status = 200, string body = "")
    {
        await using var receiver = await HttpReceiver.StartAsync(Answer(status, body));
        using var host = NotificationFixtures.Channels();
        var result = await host.SendAsync(notifier(receiver), message);
        return (result, Assert.Single(receiver.Requests));
    }

    [Fact]
    public async Task Teams_Trigger_PostsAdaptiveCardInMessageEnvelope()
    {
        var message = NotificationFixtures.Message(recipient: NotificationFixtures.Alice) with
        {
            Links = [new NotificationLink("Acknowledge", "https://ops.example.com/ack/abc")],
        };
        var (result, request) = await SendAsync(Teams, message, 202);

        Assert.True(result.Success, result.Error);
        Assert.Equal(202, result.HttpStatus);
        Assert.Equal(("POST", TeamsPath + TeamsQuery), (request.Method, request.PathAndQuery));
        Assert.Equal("Vigil-Notifier/1", request.Header("User-Agent"));
        var json = Json(request);
        Assert.Equal("message", json.GetProperty("type").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal(("AdaptiveCard", "1.4"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        var body = card.GetProperty("body");
        Assert.Equal("\U0001F6A8 [P1] #12 Disk full on db-1 — triggered", body[0].GetProperty("text").GetString());
        Assert.Equal("Attention", body[0].GetProperty("color").GetString());
        Assert.Equal("disk / at 97% (critical above 95)", body[1].GetProperty("text").GetString());
        Assert.Equal("FactSet", body[2].GetProperty("type").GetString());
        Assert.Equal(
            ["State=triggered", "Severity=P1", "Service=api", "Incident=#12", "For=Alice", "Installation=test-install"],
            body[2].GetProperty("facts").EnumerateArray().Select(f => $"{f.GetProperty("title").GetString()}={f.GetProperty("value").GetString()}"));
        Assert.Equal(
            ["Action.OpenUrl Open incident https://ops.example.com/incidents/12", "Action.OpenUrl Acknowledge https://ops.example.com/ack/abc"],
            card.GetProperty("actions").EnumerateArray().Select(a => $"{a.GetProperty("type").GetString()} {a.GetProperty("title").GetString()} {a.GetProperty("url").GetString()}"));
    }

    [Fact]
    public async Task Teams_Resolve_GreenCard()
    {
        var (result, request) = await SendAsync(Teams, NotificationFixtures.Message(NotificationKind.Resolve), 202);

        Assert.True(result.Success, result.Error);
        var headline = Json(request).GetProperty("attachments")[0].GetProperty("content").GetProperty("body")[0];
        Assert.Equal(("\u2705 [P1] #12 Disk full on db-1 — resolved", "Good"), (headline.GetProperty("text").GetString(), headline.GetProperty("color").GetString()));
    }

    [Fact]
    public async Task Mattermost_TriggerAndResolve_MarkdownTextMentionOnlyOnPages()
    {
        var (result, request) = await SendAsync(Mattermost, NotificationFixtures.Message(title: "db_1 *full*"), 200, "ok");

        Assert.True(result.Success, result.Error);
        Assert.Equal("200 OK: ok", result.Reply);
        Assert.Equal(("POST", MattermostPath), (request.Method, request.PathAndQuery));
        var json = Json(request);
        Assert.Equal(
            "@channel :rotating_light: **[P1] [#12 db\\_1 \\*full\\*](https://ops.example.com/incidents/12)** — service api — triggered\ndisk / at 97% (critical above 95)",
            json.GetProperty("text").GetString());
        Assert.Equal(("Vigil", "ops"), (json.GetProperty("username").GetString(), json.GetProperty("channel").GetString()));

        (result, request) = await SendAsync(Mattermost, NotificationFixtures.Message(NotificationKind.Resolve), 200, "ok");
        Assert.True(result.Success, result.Error);
        Assert.StartsWith(":white_check_mark: **[P1] [#12 Disk full on db-1](https://ops.example.com/incidents/12)** — service api — resolved",
            Json(request).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Discord_Trigger_PostsEmbedWithWaitTrue()
    {
        var (result, request) = await SendAsync(Discord, NotificationFixtures.Message(recipient: NotificationFixtures.Alice), 200, """{"id":"1","type":0}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(("POST", DiscordPath + "?wait=true"), (request.Method, request.PathAndQuery));
        var json = Json(request);
        Assert.Equal(("Vigil", "<@&987654321>"), (json.GetProperty("username").GetString(), json.GetProperty("content").GetString()));
        var embed = Assert.Single(json.GetProperty("embeds").EnumerateArray());
        Assert.Equal("\U0001F6A8 [P1] #12 Disk full on db-1 — triggered", embed.GetProperty("title").GetString());
        Assert.Equal("https://ops.example.com/incidents/12", embed.GetProperty("url").GetString());
        Assert.Equal("disk / at 97% (critical above 95)", embed.GetProperty("description").GetString());
        Assert.Equal(0xE01E5A, embed.GetProperty("color").GetInt32());
        Assert.Equal(["Severity=P1", "Service=api", "State=triggered", "For=Alice"],
            embed.GetProperty("fields").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}={f.GetProperty("value").GetString()}"));
        Assert.Equal("2025-03-01T12:00:00Z", embed.GetProperty("timestamp").GetString());
        Assert.Equal("Vigil · test-install", embed.GetProperty("footer").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Discord_Resolve_GreenEmbedWithoutMention()
    {
        var (result, request) = await SendAsync(Discord, NotificationFixtures.Message(NotificationKind.Resolve), 200, "{}");

        Assert.True(result.Success, result.Error);
        var json = Json(request);
        Assert.False(json.TryGetProperty("content", out _));
        Assert.Equal(0x2EB67D, json.GetProperty("embeds")[0].GetProperty("color").GetInt32());
    }

    [Fact]
    public async Task Telegram_Trigger_SendMessageWithTokenInPathAndHtmlText()
    {
        var (result, request) = await SendAsync(Telegram, NotificationFixtures.Message(title: "a <b> & c"), 200, """{"ok":true,"result":{"message_id":1}}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(("POST", $"/bot{TelegramToken}/sendMessage"), (request.Method, request.PathAndQuery));
        var json = Json(request);
        Assert.Equal(-1001234567890, json.GetProperty("chat_id").GetInt64());
        Assert.Equal("HTML", json.GetProperty("parse_mode").GetString());
        Assert.True(json.GetProperty("link_preview_options").GetProperty("is_disabled").GetBoolean());
        Assert.False(json.GetProperty("disable_notification").GetBoolean());
        Assert.Equal(
            "\U0001F6A8 <b>[P1] #12 a &lt;b&gt; &amp; c</b> — service api — triggered\ndisk / at 97% (critical above 95)\n<a href=\"https://ops.example.com/incidents/12\">Open incident</a>",
            json.GetProperty("text").GetString());
        Assert.DoesNotContain(TelegramToken, result.Reply ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_Resolve_IsSilent()
    {
        var (result, request) = await SendAsync(Telegram, NotificationFixtures.Message(NotificationKind.Resolve), 200, """{"ok":true}""");

        Assert.True(result.Success, result.Error);
        var json = Json(request);
        Assert.True(json.GetProperty("disable_notification").GetBoolean());
        Assert.StartsWith("\u2705 <b>[P1] #12 Disk full on db-1</b> — service api — resolved", json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Ntfy_TriggerIsUrgent_ResolveIsDefaultPriority_BearerToken()
    {
        var message = NotificationFixtures.Message() with { Links = [new NotificationLink("Acknowledge", "https://ops.example.com/ack/abc")] };
        var (result, request) = await SendAsync(Ntfy, message, 200, """{"id":"x","event":"message"}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(("POST", "/"), (request.Method, request.PathAndQuery));
        Assert.Equal($"Bearer {NtfyToken}", request.Header("Authorization"));
        var json = Json(request);
        Assert.Equal(NtfyTopic, json.GetProperty("topic").GetString());
        Assert.Equal("[P1] #12 Disk full on db-1 — triggered", json.GetProperty("title").GetString());
        Assert.Equal("service api\ndisk / at 97% (critical above 95)", json.GetProperty("message").GetString());
        Assert.Equal(5, json.GetProperty("priority").GetInt32());
        Assert.Equal(["rotating_light", "P1"], json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("https://ops.example.com/incidents/12", json.GetProperty("click").GetString());
        var action = Assert.Single(json.GetProperty("actions").EnumerateArray());
        Assert.Equal("view Acknowledge https://ops.example.com/ack/abc", $"{action.GetProperty("action").GetString()} {action.GetProperty("label").GetString()} {action.GetProperty("url").GetString()}");

        (result, request) = await SendAsync(Ntfy, NotificationFixtures.Message(NotificationKind.Resolve), 200, "{}");
        Assert.True(result.Success, result.Error);
        json = Json(request);
        Assert.Equal(3, json.GetProperty("priority").GetInt32());
        Assert.Equal(["white_check_mark", "P1"], json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Pushover_PageIsEmergencyWithRetryAndExpire_ResolveIsNormal()
    {
        var (result, request) = await SendAsync(Pushover, NotificationFixtures.Message(), 200, """{"status":1,"request":"r1","receipt":"rc1"}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(("POST", "/1/messages.json"), (request.Method, request.PathAndQuery));
        var form = Form(request);
        Assert.Equal(
            ["token", "user", "title", "message", "priority", "timestamp", "url", "url_title", "retry", "expire"],
            form.Keys);
        Assert.Equal((PushoverToken, PushoverUser), (form["token"], form["user"]));
        Assert.Equal("\U0001F6A8 [P1] #12 Disk full on db-1", form["title"]);
        Assert.Equal("service api — triggered\ndisk / at 97% (critical above 95)", form["message"]);
        Assert.Equal(("2", "60", "3600"), (form["priority"], form["retry"], form["expire"]));
        Assert.Equal("1740830400", form["timestamp"]);
        Assert.Equal(("https://ops.example.com/incidents/12", "Open incident"), (form["url"], form["url_title"]));

        (result, request) = await SendAsync(Pushover, NotificationFixtures.Message(NotificationKind.Resolve), 200, """{"status":1}""");
        Assert.True(result.Success, result.Error);
        form = Form(request);
        Assert.Equal("0", form["priority"]);
        Assert.False(form.ContainsKey("retry"));
        Assert.False(form.ContainsKey("expire"));
    }

    [Fact]
    public async Task PagerDuty_TriggerThenResolve_SameDedupKey()
    {
        var (result, request) = await SendAsync(PagerDuty, NotificationFixtures.Message(), 202, """{"status":"success","message":"Event processed","dedup_key":"x"}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(("POST", "/v2/enqueue"), (request.Method, request.PathAndQuery));
        var json = Json(request);
        Assert.Equal((PagerDutyKey, "trigger", "vigil:test-install:incident:12"),
            (json.GetProperty("routing_key").GetString(), json.GetProperty("event_action").GetString(), json.GetProperty("dedup_key").GetString()));
        var payload = json.GetProperty("payload");
        Assert.Equal(("[P1] #12 Disk full on db-1", "api", "critical", "api"),
            (payload.GetProperty("summary").GetString(), payload.GetProperty("source").GetString(), payload.GetProperty("severity").GetString(), payload.GetProperty("component").GetString()));
        Assert.Equal("2025-03-01T12:00:00Z", payload.GetProperty("timestamp").GetString());
        Assert.Equal(12, payload.GetProperty("custom_details").GetProperty("incident_id").GetInt64());
        Assert.Equal(("Vigil", "https://ops.example.com/incidents/12"), (json.GetProperty("client").GetString(), json.GetProperty("client_url").GetString()));
        Assert.Equal("https://ops.example.com/incidents/12", json.GetProperty("links")[0].GetProperty("href").GetString());

        (result, request) = await SendAsync(PagerDuty, NotificationFixtures.Message(NotificationKind.Resolve), 202, """{"status":"success"}""");
        Assert.True(result.Success, result.Error);
        json = Json(request);
        Assert.Equal(["routing_key", "event_action", "dedup_key"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("resolve", "vigil:test-install:incident:12"), (json.GetProperty("event_action").GetString(), json.GetProperty("dedup_key").GetString()));
    }

    [Fact]
    public async Task Twilio_Sms_FormWithBasicAuthToThePersonsPhone()
    {
        var (result, request) = await SendAsync(r => Twilio(r, to: "+15558675310"), NotificationFixtures.Message(recipient: NotificationFixtures.Alice), 201, """{"sid":"SM1","status":"queued"}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(201, result.HttpStatus);
        Assert.Equal(("POST", $"/2010-04-01/Accounts/{TwilioSid}/Messages.json"), (request.Method, request.PathAndQuery));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioSid}:{TwilioToken}")), request.Header("Authorization"));
        var form = Form(request);
        Assert.Equal(["To", "From", "Body"], form.Keys);
        Assert.Equal(("+4915100000", "+15017122661"), (form["To"], form["From"]));
        Assert.Equal("Vigil [P1] #12 Disk full on db-1 — service api — triggered\ndisk / at 97% (critical above 95)\nhttps://ops.example.com/incidents/12", form["Body"]);
    }

    [Fact]
    public async Task Twilio_Voice_CallsWithSayTwiml_ResolveIsNotPhoned()
    {
        var (result, request) = await SendAsync(r => Twilio(r, TwilioMode.Voice, to: "+15558675310"), NotificationFixtures.Message(title: "db <1> & 2"), 201, """{"sid":"CA1"}""");

        Assert.True(result.Success, result.Error);
        Assert.Equal(("POST", $"/2010-04-01/Accounts/{TwilioSid}/Calls.json"), (request.Method, request.PathAndQuery));
        var form = Form(request);
        Assert.Equal(["To", "From", "Twiml"], form.Keys);
        Assert.Equal("+15558675310", form["To"]);
        const string said = "Vigil page. Severity P1. Incident 12: db &lt;1&gt; &amp; 2. Service api. disk / at 97% (critical above 95)";
        Assert.Equal($"<Response><Say>{said}</Say><Pause length=\"1\"/><Say>{said}</Say></Response>", form["Twiml"]);

        await using var receiver = await HttpReceiver.StartAsync(Answer(201));
        using var host = NotificationFixtures.Channels();
        result = await host.SendAsync(Twilio(receiver, TwilioMode.Voice, to: "+15558675310"), NotificationFixtures.Message(NotificationKind.Resolve));
        Assert.True(result.Success, result.Error);
        Assert.Equal("not sent: a voice notifier phones pages only, not a resolve", result.Reply);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Twilio_NoNumber_FailsSayingWhatToAdd()
    {
        await using var receiver = await HttpReceiver.StartAsync(Answer(201));
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(Twilio(receiver), NotificationFixtures.Message(recipient: NotificationFixtures.Alice with { Phone = null }));

        Assert.False(result.Success);
        Assert.Equal($"Twilio SMS {receiver.BaseAddress}: alice has no `phone` and the notifier has no `to`; add a phone number to the person", result.Error);
        Assert.Empty(receiver.Requests);
    }

    public static TheoryData<string> Kinds => ["teams", "mattermost", "discord", "telegram", "ntfy", "pushover", "pagerduty", "twilio"];

    internal static NotifierConfig For(string kind, HttpReceiver r) => kind switch
    {
        "teams" => Teams(r),
        "mattermost" => Mattermost(r),
        "discord" => Discord(r),
        "telegram" => Telegram(r),
        "ntfy" => Ntfy(r),
        "pushover" => Pushover(r),
        "pagerduty" => PagerDuty(r),
        "twilio" => Twilio(r, to: "+15558675310"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static string[] Secrets(string kind) => kind switch
    {
        "teams" => ["TEAMSsig0123456789abcdef"],
        "mattermost" => ["mmhookKEY0123456789abc"],
        "discord" => ["DISCORDtoken0123456789abcdef"],
        "telegram" => [TelegramToken, "AAFtelegramSECRET"],
        "ntfy" => [NtfyTopic, NtfyToken],
        "pushover" => [PushoverToken, PushoverUser],
        "pagerduty" => [PagerDutyKey],
        "twilio" => [TwilioToken, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioSid}:{TwilioToken}"))],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A receiver that rejects the credential and echoes everything it got, the way some APIs do.</summary>
    internal static Task EchoReject(HttpContext ctx, ReceivedRequest request)
    {
        ctx.Response.StatusCode = 401;
        return ctx.Response.WriteAsync($"unauthorized {request.PathAndQuery} auth={request.Header("Authorization")} body={request.BodyText}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Rejected_ErrorReplyAndLogsNameNoSecret(string kind)
    {
        await using var receiver = await HttpReceiver.StartAsync(EchoReject);
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(For(kind, receiver), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal(401, result.HttpStatus);
        Assert.Contains("answered HTTP 401 Unauthorized, expected 2xx", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("401 Unauthorized: unauthorized ", result.Reply, StringComparison.Ordinal);
        foreach (var secret in Secrets(kind))
        {
            Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Reply, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, host.Logs.All, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), result.Reply, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Unreachable_ConnectionRefusedNamesNoSecret(string kind)
    {
        var port = WebhookChannelTests.ClosedPort();
        await using var receiver = await HttpReceiver.StartAsync(Answer(200));
        var notifier = For(kind, receiver);
        var closed = $"http://127.0.0.1:{port}/";
        notifier = kind switch
        {
            "teams" => new() { Id = notifier.Id, Teams = new() { WebhookUrl = closed + TeamsPath.TrimStart('/') + TeamsQuery } },
            "mattermost" => new() { Id = notifier.Id, Mattermost = new() { WebhookUrl = closed + MattermostPath.TrimStart('/') } },
            "discord" => new() { Id = notifier.Id, Discord = new() { WebhookUrl = closed + DiscordPath.TrimStart('/') } },
            "telegram" => new() { Id = notifier.Id, Telegram = new() { BotToken = TelegramToken, ChatId = "@ops", ApiUrl = closed } },
            "ntfy" => new() { Id = notifier.Id, Ntfy = new() { Url = closed, Topic = NtfyTopic, Token = NtfyToken } },
            "pushover" => new() { Id = notifier.Id, Pushover = new() { Token = PushoverToken, User = PushoverUser, ApiUrl = closed } },
            "pagerduty" => new() { Id = notifier.Id, PagerDuty = new() { RoutingKey = PagerDutyKey, ApiUrl = closed } },
            _ => new() { Id = notifier.Id, Twilio = new() { AccountSid = TwilioSid, AuthToken = TwilioToken, From = "+15017122661", To = "+15558675310", ApiUrl = closed } },
        };
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(notifier, NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.StartsWith("connection to ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("refused (is the receiver running?)", result.Error, StringComparison.Ordinal);
        foreach (var secret in Secrets(kind))
        {
            Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, host.Logs.All, StringComparison.Ordinal);
        }
    }
}
