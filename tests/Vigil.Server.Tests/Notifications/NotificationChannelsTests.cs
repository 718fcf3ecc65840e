using Vigil.Core.Config;
using Vigil.Server.Notifications.Channels;

namespace Vigil.Server.Tests.Notifications;

public sealed class NotificationChannelsTests
{
    [Fact]
    public async Task SendAsync_NotifierWithoutChannel_FailedResult()
    {
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(new NotifierConfig { Id = "empty" }, NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal("notifier empty must set exactly one of `webhook`, `slack`, `email`, `command`, `teams`, `mattermost`, `discord`, `telegram`, `ntfy`, `pushover`, `pagerduty` or `twilio` (it sets 0)", result.Error);
    }

    [Fact]
    public async Task SendAsync_NotifierWithTwoChannels_FailedResult()
    {
        using var host = NotificationFixtures.Channels();
        var notifier = NotificationFixtures.Webhook("http://127.0.0.1:9/hook");
        notifier.Command = new CommandNotifierConfig { Run = "true" };

        var result = await host.SendAsync(notifier, NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Contains("(it sets 2)", result.Error);
    }

    [Fact]
    public void Redact_SlackUrlWebhookSecretAndPassword_Masked()
    {
        var slack = SecretRedactor.For(NotificationFixtures.Slack("https://hooks.slack.com/services/T000/B000/abcdefTOKEN123"));
        var hook = SecretRedactor.For(NotificationFixtures.Webhook("https://u:urlpass99@example.com/h?token=querytoken123", "hmac-secret"));
        var mail = SecretRedactor.For(NotificationFixtures.Email(25, password: "smtp-pw"));

        Assert.Equal("see *** and ***", slack.Redact("see https://hooks.slack.com/services/T000/B000/abcdefTOKEN123 and abcdefTOKEN123"));
        Assert.Equal("path ***", slack.Redact("path /services/T000/B000/abcdefTOKEN123"));
        Assert.Equal("*** *** *** ***", hook.Redact("hmac-secret urlpass99 querytoken123 token=querytoken123"));
        Assert.Equal("pw=***", mail.Redact("pw=smtp-pw"));
        Assert.Null(mail.Redact(null));
    }

    [Fact]
    public void Payload_IsCompactUtf8JsonWithReadableText()
    {
        var json = System.Text.Encoding.UTF8.GetString(NotificationPayload.ToUtf8(NotificationFixtures.Message(title: "Dïsk <full> — \"db\"")));

        Assert.StartsWith("{\"version\":\"1\",\"id\":\"n-12-0-0-alice\",\"kind\":\"trigger\",\"installation\":\"test-install\",\"incident\":{\"id\":12,\"title\":\"Dïsk <full> — \\\"db\\\"\"", json);
        Assert.EndsWith("\"step\":1,\"repeat\":0,\"recipient\":null,\"at\":\"2025-03-01T12:00:00Z\"}", json);
    }

    [Fact]
    public void Sign_KnownVector_MatchesIndependentHmac()
    {
        var body = "{\"a\":1}"u8.ToArray();

        var signature = WebhookChannel.Sign("key", 1700000000, body);

        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "1700000000.{\"a\":1}"u8));
        Assert.Equal("sha256=" + expected, signature);
    }
}
