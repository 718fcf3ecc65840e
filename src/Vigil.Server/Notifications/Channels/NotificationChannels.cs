using System.Net.Http;
using Microsoft.Extensions.Logging;
using Vigil.Core.Config;
using Vigil.Core.Notifications;
using Vigil.Server.Notifications.Channels.Http;
using Vigil.Probes.Processes;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// The <see cref="INotificationChannel"/> for every notifier type: dispatches on the variant the
/// notifier sets (<c>webhook</c>, <c>slack</c>, <c>email</c>, <c>command</c>, or one of the described
/// HTTP channels in <see cref="HttpChannels.All"/>: Teams, Mattermost, Discord, Telegram, ntfy, Pushover,
/// PagerDuty, Twilio) and makes exactly one attempt.
/// <list type="bullet">
/// <item>The attempt is bounded by the notifier's <c>timeout</c>; running out is a failed result
/// that says so, never an exception.</item>
/// <item>Every delivery failure (connection refused, DNS, TLS, a non-2xx answer, an SMTP
/// rejection, a non-zero exit) is a failed <see cref="DeliveryResult"/> with a one-sentence error.
/// Only the caller's own cancellation throws (<see cref="OperationCanceledException"/>), since
/// then the caller is not waiting for a result.</item>
/// <item><see cref="DeliveryResult.Latency"/> is measured with the <see cref="TimeProvider"/>.</item>
/// <item>Errors and replies never contain the notifier's secrets (the webhook <c>secret</c>, the
/// Slack webhook URL, the SMTP password, credentials in URLs): they go to the ledger, the API,
/// the audit trail and logs.</item>
/// </list>
/// HTTP goes through <see cref="IHttpClientFactory"/> with two named clients,
/// <see cref="HttpClientName"/> and <see cref="InsecureHttpClientName"/> (for
/// <c>tls_verify: false</c>; a separate handler, so an unverified connection is never pooled for a
/// verified request). <see cref="NotificationChannelsServiceCollectionExtensions.AddVigilNotificationChannels"/>
/// registers both with a <see cref="SocketsHttpHandler"/>, no redirects, no cookies and no request
/// logging (the Slack URL is a credential). Retries, backoff, the ledger and severity or
/// <c>send_resolved</c> filtering belong to the caller.
/// </summary>
public sealed partial class NotificationChannels : INotificationChannel
{
    /// <summary>Named <see cref="HttpClient"/> for notifiers that verify the receiver's certificate.</summary>
    public const string HttpClientName = "Vigil.Notifications";

    /// <summary>Named <see cref="HttpClient"/> for webhooks with <c>tls_verify: false</c>.</summary>
    public const string InsecureHttpClientName = "Vigil.Notifications.NoTlsVerify";

    /// <summary>The User-Agent of webhook and Slack requests.</summary>
    public const string UserAgent = "Vigil-Notifier/1";

    /// <summary>Longest deadline a cancellation timer takes; a longer <c>timeout</c> is cut to it.</summary>
    private static readonly TimeSpan _maxTimeout = TimeSpan.FromDays(1);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger<NotificationChannels> _logger;
    private readonly WebhookChannel _webhook;
    private readonly SlackChannel _slack;
    private readonly EmailChannel _email;
    private readonly CommandChannel _command;
    private readonly IHttpClientFactory _httpClients;

    /// <param name="timeProvider">Clock for deadlines, latency and signature timestamps.</param>
    /// <param name="httpClients">Factory for the <see cref="HttpClientName"/> and <see cref="InsecureHttpClientName"/> clients.</param>
    /// <param name="processRunner">Runs command notifiers (process group, timeout, kill).</param>
    /// <param name="logger">Receives one entry per attempt, without secrets.</param>
    public NotificationChannels(TimeProvider timeProvider, IHttpClientFactory httpClients, ProcessRunner processRunner, ILogger<NotificationChannels> logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(httpClients);
        ArgumentNullException.ThrowIfNull(processRunner);
        ArgumentNullException.ThrowIfNull(logger);
        _timeProvider = timeProvider;
        _logger = logger;
        _webhook = new WebhookChannel(httpClients, timeProvider);
        _slack = new SlackChannel(httpClients);
        _email = new EmailChannel(timeProvider);
        _command = new CommandChannel(processRunner);
        _httpClients = httpClients;
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(NotifierConfig notifier, NotificationMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(message);
        ct.ThrowIfCancellationRequested();

        var start = _timeProvider.GetTimestamp();
        var redactor = SecretRedactor.For(notifier);
        var target = Target(notifier);
        var timeout = notifier.Timeout > _maxTimeout ? _maxTimeout : notifier.Timeout;
        DeliveryResult result;
        if (timeout <= TimeSpan.Zero)
        {
            result = DeliveryResult.Failed($"notifier {notifier.Id}: `timeout` must be positive", TimeSpan.Zero);
        }
        else
        {
            using var deadline = new CancellationTokenSource(timeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                result = await SendCoreAsync(notifier, message, timeout, linked.Token);

                // A channel that turned the cancellation into a result (the command channel does)
                // still owes the caller its OperationCanceledException. A delivery stands.
                if (!result.Success)
                {
                    ct.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ct.IsCancellationRequested)
            {
                // A client that reports our cancellation as a broken stream: the caller still gets the cancellation.
                throw new OperationCanceledException("The caller cancelled the delivery attempt.", ex, ct);
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && ex is OperationCanceledException or TimeoutException or IOException)
            {
                // IOException too: some clients report a read aborted by our cancellation as a broken stream.
                result = DeliveryResult.Failed(DeliveryText.TimedOut(target, timeout, processKilled: notifier.Command is not null), TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                result = DeliveryResult.Failed($"{target} did not answer in time (socket timeout)", TimeSpan.Zero);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Not a failure we know how to name; still a result, so one odd receiver cannot take the caller's loop down.
                var text = redactor.Redact($"{ex.GetType().Name}: {NetworkErrors.Sentence(ex.Message)}")!;
                LogUnexpected(notifier.Id, text, ex.StackTrace ?? "");
                result = DeliveryResult.Failed($"sending to {target} failed unexpectedly: {text}", TimeSpan.Zero);
            }
        }

        result = result with
        {
            Latency = _timeProvider.GetElapsedTime(start),
            Error = redactor.Redact(result.Error),
            Reply = redactor.Redact(result.Reply),
        };

        if (result.Success)
        {
            LogDelivered(notifier.Id, NotificationPayload.KindName(message.Kind), message.IncidentId, message.Id, result.Latency.TotalMilliseconds, result.Reply);
        }
        else
        {
            LogFailed(notifier.Id, NotificationPayload.KindName(message.Kind), message.IncidentId, message.Id, result.Error);
        }

        return result;
    }

    /// <summary>How messages name the notifier's far end, free of secrets.</summary>
    internal static string Target(NotifierConfig notifier) =>
        notifier.Webhook is { } w ? WebhookChannel.Target(w)
        : notifier.Slack is { } s ? SlackChannel.Target(s)
        : notifier.Email is { } e ? EmailChannel.Target(e)
        : notifier.Command is { } c ? CommandChannel.Target(c)
        : HttpChannels.For(notifier) is { } http ? http.Target(notifier)
        : $"notifier {notifier.Id}";

    private Task<DeliveryResult> SendCoreAsync(NotifierConfig notifier, NotificationMessage message, TimeSpan timeout, CancellationToken ct)
    {
        var variants = (notifier.Webhook is null ? 0 : 1) + (notifier.Slack is null ? 0 : 1) + (notifier.Email is null ? 0 : 1) + (notifier.Command is null ? 0 : 1)
            + HttpChannels.Count(notifier);
        if (variants != 1)
        {
            return Task.FromResult(DeliveryResult.Failed(
                $"notifier {notifier.Id} must set exactly one of `webhook`, `slack`, `email`, `command`, {string.Join(", ", HttpChannels.All.SkipLast(1).Select(c => $"`{c.Kind}`"))} or `{HttpChannels.All[^1].Kind}` (it sets {variants})", TimeSpan.Zero));
        }

        if (HttpChannels.For(notifier) is { } http)
        {
            return HttpChannels.SendAsync(_httpClients.CreateClient(HttpClientName), http, notifier, message, _timeProvider, ct);
        }

        return notifier switch
        {
            { Webhook: { } webhook } => _webhook.SendAsync(webhook, message, ct),
            { Slack: { } slack } => _slack.SendAsync(slack, message, ct),
            { Email: { } email } => _email.SendAsync(email, message, timeout, ct),
            { Command: { } command } => _command.SendAsync(command, message, timeout, ct),
            _ => throw new InvalidOperationException("unreachable: exactly one variant is set"),
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notifier {NotifierId} delivered {Kind} for incident {IncidentId} ({NotificationId}) in {LatencyMs:0} ms: {Reply}")]
    private partial void LogDelivered(string notifierId, string kind, long incidentId, string notificationId, double latencyMs, string? reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifier {NotifierId} failed to deliver {Kind} for incident {IncidentId} ({NotificationId}): {Error}")]
    private partial void LogFailed(string notifierId, string kind, long incidentId, string notificationId, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifier {NotifierId} hit an unexpected error (a bug, or a failure not yet classified): {Error}\n{StackTrace}")]
    private partial void LogUnexpected(string notifierId, string error, string stackTrace);
}
