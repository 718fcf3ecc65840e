using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications;

/// <summary>
/// Sends one notification through one notifier (webhook, Slack, e-mail, command). One attempt:
/// retries, backoff and the ledger belong to the caller. Never throws for a failed delivery; the
/// failure is the result. The attempt must finish within the notifier's <c>timeout</c>.
/// </summary>
public interface INotificationChannel
{
    Task<DeliveryResult> SendAsync(NotifierConfig notifier, NotificationMessage message, CancellationToken ct);
}
