using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Tests.Notifications;

public sealed class EmailChannelTests
{
    private static MimeMessage Parse(SmtpCapture capture)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(capture.Data));
        return MimeMessage.Load(stream);
    }

    [Fact]
    public async Task SendAsync_PlainSmtp_ServerReceivesTheMail()
    {
        await using var smtp = new SmtpTestServer();
        using var host = NotificationFixtures.Channels();
        // The person's address is already in `to` (other case): it is sent once.
        var notifier = NotificationFixtures.Email(smtp.Port, to: ["ops@example.com", "Alice@Example.com"]);

        var result = await host.SendAsync(notifier, NotificationFixtures.Message(recipient: NotificationFixtures.Alice));

        Assert.True(result.Success, result.Error);
        Assert.Equal("250 2.0.0 Ok: queued as TEST1", result.Reply);
        Assert.Null(result.HttpStatus);
        var capture = Assert.Single(smtp.Messages);
        Assert.Equal("vigil@example.com", capture.MailFrom);
        Assert.Equal(["ops@example.com", "Alice@Example.com"], capture.RcptTo);
        Assert.Null(capture.AuthUser);

        var mail = Parse(capture);
        Assert.Equal("vigil@example.com", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal(["ops@example.com", "Alice@Example.com"], mail.To.Mailboxes.Select(m => m.Address).ToArray());
        Assert.Equal("[Vigil] [P1] #12 Disk full on db-1 (trigger)", mail.Subject);
        Assert.Equal("n-12-0-0-alice", mail.Headers["X-Vigil-Delivery"]);
        var body = mail.TextBody;
        Assert.Contains("Kind: page (trigger)", body);
        Assert.Contains("Title: Disk full on db-1", body);
        Assert.Contains("Severity: P1", body);
        Assert.Contains("Service: api", body);
        Assert.Contains("Status: triggered", body);
        Assert.Contains("Summary: disk / at 97% (critical above 95)", body);
        Assert.Contains("Escalation step: 1", body);
        Assert.Contains("Recipient: Alice (alice) <alice@example.com>", body);
        Assert.Contains("At: 2025-03-01 12:00:00 UTC", body);
        Assert.Contains("Installation: test-install", body);
        Assert.Contains("Open the incident: https://ops.example.com/incidents/12", body);
    }

    [Fact]
    public async Task SendAsync_AutoSecurityWithoutStarttls_SendsInPlainText()
    {
        await using var smtp = new SmtpTestServer();
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Email(smtp.Port, security: SmtpSecurity.Auto),
            NotificationFixtures.Message(NotificationKind.Resolve));

        Assert.True(result.Success, result.Error);
        Assert.Equal("[Vigil] [P1] #12 Disk full on db-1 (resolve)", Parse(Assert.Single(smtp.Messages)).Subject);
    }

    [Fact]
    public async Task SendAsync_StarttlsRequiredButNotOffered_FailedResult()
    {
        await using var smtp = new SmtpTestServer();
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Email(smtp.Port, security: SmtpSecurity.Starttls), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.StartsWith($"SMTP server smtp://127.0.0.1:{smtp.Port}: ", result.Error);
        Assert.Contains("STARTTLS", result.Error);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task SendAsync_WithCredentials_AuthenticatesWithAuthPlain()
    {
        await using var smtp = new SmtpTestServer(new SmtpBehaviour { Credentials = ("vigil", "hunter2-smtp-pass") });
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Email(smtp.Port, username: "vigil", password: "hunter2-smtp-pass"),
            NotificationFixtures.Message());

        Assert.True(result.Success, result.Error);
        var capture = Assert.Single(smtp.Messages);
        Assert.Equal("vigil", capture.AuthUser);
        Assert.Equal("hunter2-smtp-pass", capture.AuthPassword);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_FailedAndPasswordRedacted()
    {
        await using var smtp = new SmtpTestServer(new SmtpBehaviour
        {
            Credentials = ("vigil", "the-right-one"),
            // A server that echoes the credentials it got: the channel must still not leak them.
            AuthFailureReply = (user, password) => $"535 5.7.8 Authentication failed for {user}/{password}",
        });
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Email(smtp.Port, username: "vigil", password: "wrong-pass-9876"),
            NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.StartsWith($"SMTP server smtp://127.0.0.1:{smtp.Port} rejected the login of user vigil", result.Error);
        Assert.Contains("vigil/***", result.Error);
        Assert.DoesNotContain("wrong-pass-9876", result.Error);
        Assert.DoesNotContain("wrong-pass-9876", result.Reply ?? "");
        Assert.DoesNotContain("wrong-pass-9876", host.Logs.All);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task SendAsync_RecipientRejected_FailedWithTheServerReply()
    {
        await using var smtp = new SmtpTestServer(new SmtpBehaviour
        {
            RejectRecipient = address => address == "nobody@example.com" ? $"550 5.1.1 <{address}>: Recipient address rejected: User unknown" : null,
        });
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Email(smtp.Port, to: ["nobody@example.com"]), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown", result.Reply);
        Assert.Equal($"SMTP server smtp://127.0.0.1:{smtp.Port} rejected the recipient nobody@example.com: {result.Reply}", result.Error);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task SendAsync_NoRecipientsAtAll_FailedWithoutConnecting()
    {
        await using var smtp = new SmtpTestServer();
        using var host = NotificationFixtures.Channels();
        var nobody = NotificationFixtures.Alice with { Email = null };

        var result = await host.SendAsync(NotificationFixtures.Email(smtp.Port, to: []), NotificationFixtures.Message(recipient: nobody));

        Assert.False(result.Success);
        Assert.Equal($"SMTP server smtp://127.0.0.1:{smtp.Port}: no recipients: alice has no e-mail address and the notifier has no `to` addresses", result.Error);
        Assert.Empty(smtp.Commands);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_FailedResult()
    {
        var port = WebhookChannelTests.ClosedPort();
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Email(port), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal($"connection to SMTP server smtp://127.0.0.1:{port} refused (is the receiver running?) (while connecting)", result.Error);
    }

    [Fact]
    public async Task SendAsync_ServerNeverGreets_TimeoutIsAFailedResult()
    {
        var time = new FakeTimeProvider(NotificationFixtures.At);
        await using var smtp = new SmtpTestServer(new SmtpBehaviour { Greet = false });
        using var host = NotificationFixtures.Channels(time);

        var send = host.SendAsync(NotificationFixtures.Email(smtp.Port, timeout: TimeSpan.FromSeconds(30)), NotificationFixtures.Message());
        await smtp.Connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(result.Success);
        Assert.Equal($"SMTP server smtp://127.0.0.1:{smtp.Port} did not finish within 30s (notifier timeout)", result.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Latency);
    }
}
