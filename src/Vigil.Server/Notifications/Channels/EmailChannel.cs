using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// SMTP e-mail through MailKit. <c>smtp://host[:port]</c> (port 25 by default) or
/// <c>smtps://host[:port]</c> (465). Security: <c>auto</c> is implicit TLS for smtps and STARTTLS
/// when offered for smtp; <c>starttls</c> requires STARTTLS; <c>tls</c> is implicit TLS; <c>none</c>
/// is plain text. With <c>username</c> set the client authenticates (the server must offer AUTH).
/// Recipients are <c>to</c> plus the recipient person's address, without duplicates. The subject is
/// <c>{subject_prefix} [SEV] #id title (kind)</c>; the body is plain text with every field. A
/// delivery is the server's acceptance of the message (its final reply, like
/// <c>250 2.0.0 Ok: queued</c>, is the result's reply).
/// </summary>
internal sealed class EmailChannel
{
    private readonly TimeProvider _timeProvider;

    public EmailChannel(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    public static string Target(EmailNotifierConfig config) => $"SMTP server {SafeEndpoint(config.Smtp)}";

    public static string Subject(EmailNotifierConfig config, NotificationMessage message)
    {
        var prefix = string.IsNullOrWhiteSpace(config.SubjectPrefix) ? "" : config.SubjectPrefix.Trim() + " ";
        return DeliveryText.OneLine($"{prefix}[{message.Severity}] #{message.IncidentId.ToString(CultureInfo.InvariantCulture)} {message.Title} ({NotificationPayload.KindName(message.Kind)})", 900);
    }

    public static string Body(NotificationMessage message)
    {
        var kind = message.Kind switch
        {
            NotificationKind.Trigger => "page (trigger)",
            NotificationKind.Resolve => "resolved",
            NotificationKind.Ticket => "ticket (no page)",
            _ => NotificationPayload.KindName(message.Kind),
        };
        var sb = new StringBuilder();
        sb.Append('[').Append(message.Severity).Append("] #").Append(message.IncidentId.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(message.Title).Append("\n\n");
        Line("Kind", kind);
        Line("Incident", "#" + message.IncidentId.ToString(CultureInfo.InvariantCulture));
        Line("Title", message.Title);
        Line("Severity", message.Severity);
        Line("Service", message.Service ?? "(none)");
        Line("Status", message.Status);
        Line("Summary", message.Summary);
        Line("Link", message.Url ?? "(none)");
        Line("Escalation step", message.Step.ToString(CultureInfo.InvariantCulture));
        Line("Repeat", message.Repeat.ToString(CultureInfo.InvariantCulture));
        if (message.Recipient is { } r)
        {
            Line("Recipient", r.Email is { Length: > 0 } email ? $"{r.Name} ({r.Id}) <{email}>" : $"{r.Name} ({r.Id})");
        }

        Line("At", message.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Line("Installation", message.Installation);
        Line("Notification id", message.Id);
        if (message.Url is { Length: > 0 } url)
        {
            sb.Append('\n').Append("Open the incident: ").Append(url).Append('\n');
        }

        if (message.Links is { Count: > 0 } links)
        {
            sb.Append('\n');
            foreach (var link in links)
            {
                sb.Append(link.Label).Append(": ").Append(link.Url).Append('\n');
            }
        }

        return sb.ToString();

        void Line(string name, string value) => sb.Append(name).Append(": ").Append(value).Append('\n');
    }

    public async Task<DeliveryResult> SendAsync(EmailNotifierConfig config, NotificationMessage message, TimeSpan timeout, CancellationToken ct)
    {
        var target = Target(config);
        if (!TryParseEndpoint(config.Smtp, out var host, out var port, out var implicitTls))
        {
            return DeliveryResult.Failed($"{target}: `smtp` must be smtp://host:port or smtps://host:port", TimeSpan.Zero);
        }

        if (!MailboxAddress.TryParse(config.From, out var from))
        {
            return DeliveryResult.Failed($"{target}: `from` ({DeliveryText.OneLine(config.From, 100)}) is not an e-mail address", TimeSpan.Zero);
        }

        var to = new List<MailboxAddress>();
        foreach (var address in config.To.Append(message.Recipient?.Email))
        {
            if (string.IsNullOrWhiteSpace(address))
            {
                continue;
            }

            if (!MailboxAddress.TryParse(address, out var mailbox))
            {
                return DeliveryResult.Failed($"{target}: recipient {DeliveryText.OneLine(address, 100)} is not an e-mail address", TimeSpan.Zero);
            }

            if (!to.Any(m => m.Address.Equals(mailbox.Address, StringComparison.OrdinalIgnoreCase)))
            {
                to.Add(mailbox);
            }
        }

        if (to.Count == 0)
        {
            var who = message.Recipient is { } r ? $"{r.Id} has no e-mail address and " : "";
            return DeliveryResult.Failed($"{target}: no recipients: {who}the notifier has no `to` addresses", TimeSpan.Zero);
        }

        var mime = new MimeMessage();
        mime.From.Add(from);
        mime.To.AddRange(to);
        mime.Subject = Subject(config, message);
        mime.Date = _timeProvider.GetUtcNow();
        mime.Headers.Add("X-Vigil-Delivery", message.Id);
        mime.Headers.Add("X-Vigil-Incident", message.IncidentId.ToString(CultureInfo.InvariantCulture));
        mime.Body = new TextPart("plain") { Text = Body(message) };

        var options = config.Security switch
        {
            SmtpSecurity.Starttls => SecureSocketOptions.StartTls,
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
        };

        using var client = new SmtpClient
        {
            // Ours is the deadline that counts (the token); this only stops a stalled socket read.
            Timeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue),
            // Revocation lookups go to the network on every handshake and fail on isolated relays.
            CheckCertificateRevocation = false,
        };
        var stage = "connecting";
        try
        {
            await client.ConnectAsync(host, port, options, ct);
            if (!string.IsNullOrEmpty(config.Username))
            {
                stage = "authenticating";
                await client.AuthenticateAsync(config.Username, config.Password ?? string.Empty, ct);
            }

            stage = "sending the message";
            var response = await client.SendAsync(mime, ct);
            await QuitAsync(client, ct);
            return new DeliveryResult(true, null, DeliveryText.OneLine("250 " + response), TimeSpan.Zero, null);
        }
        catch (SmtpCommandException ex) when (!ct.IsCancellationRequested)
        {
            var reply = DeliveryText.OneLine($"{(int)ex.StatusCode} {ex.Message}");
            var what = ex.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $"rejected the recipient {ex.Mailbox?.Address}",
                SmtpErrorCode.SenderNotAccepted => $"rejected the sender {ex.Mailbox?.Address}",
                SmtpErrorCode.MessageNotAccepted => "rejected the message",
                _ => $"refused a command while {stage}",
            };
            await QuitAsync(client, ct);
            return DeliveryResult.Failed($"{target} {what}: {reply}", TimeSpan.Zero, reply: reply);
        }
        catch (MailKit.Security.AuthenticationException ex) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Failed($"{target} rejected the login of user {config.Username}: {NetworkErrors.Sentence(ex.Message)}", TimeSpan.Zero,
                reply: DeliveryText.OneLine(ex.Message));
        }
        catch (SslHandshakeException ex) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Failed($"TLS handshake with {target} failed: {NetworkErrors.Sentence(ex.InnerException?.Message ?? ex.Message)}", TimeSpan.Zero);
        }
        catch (NotSupportedException ex) when (!ct.IsCancellationRequested)
        {
            // STARTTLS required but not offered, or a username set but no AUTH offered.
            return DeliveryResult.Failed($"{target}: {NetworkErrors.Sentence(ex.Message)} (check `security` and `username`)", TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ProtocolException or CommandException or ServiceNotConnectedException && !ct.IsCancellationRequested)
        {
            return DeliveryResult.Failed($"{NetworkErrors.Describe(ex, target)} (while {stage})", TimeSpan.Zero);
        }
    }

    /// <summary>
    /// QUIT, best effort: once the server accepted (or refused) the message, a slow or failed QUIT
    /// must not turn the outcome around, or the caller would retry a message that was queued.
    /// </summary>
    private static async Task QuitAsync(SmtpClient client, CancellationToken ct)
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ProtocolException or CommandException)
        {
        }
    }

    private static bool TryParseEndpoint(string smtp, out string host, out int port, out bool implicitTls)
    {
        host = string.Empty;
        port = 0;
        implicitTls = false;
        if (!Uri.TryCreate(smtp, UriKind.Absolute, out var uri) || uri.DnsSafeHost.Length == 0)
        {
            return false;
        }

        switch (uri.Scheme)
        {
            case "smtp":
                port = uri.Port > 0 ? uri.Port : 25;
                break;
            case "smtps":
                port = uri.Port > 0 ? uri.Port : 465;
                implicitTls = true;
                break;
            default:
                return false;
        }

        host = uri.DnsSafeHost;
        return true;
    }

    private static string SafeEndpoint(string smtp) =>
        Uri.TryCreate(smtp, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "(invalid smtp URL)";
}
