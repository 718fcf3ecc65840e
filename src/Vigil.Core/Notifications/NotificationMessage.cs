namespace Vigil.Core.Notifications;

/// <summary>What a notification is about.</summary>
public enum NotificationKind
{
    /// <summary>A page: an escalation step reached this target.</summary>
    Trigger,

    /// <summary>The incident resolved; sent at once to everyone paged for it.</summary>
    Resolve,

    /// <summary>A low-urgency notice for a severity that does not page.</summary>
    Ticket,
}

/// <summary>The person a notification is addressed to, when it goes to a person.</summary>
public sealed record NotificationRecipient(string Id, string Name, string? Email, string? Slack, string? Phone);

/// <summary>
/// One notification as every channel renders it. <see cref="Id"/> is stable across retries (the
/// delivery ledger's unique key), so receivers can deduplicate.
/// </summary>
public sealed record NotificationMessage(
    string Id,
    NotificationKind Kind,
    long IncidentId,
    string Title,
    string Severity,
    string? Service,
    string Status,
    string Summary,
    string? Url,
    DateTimeOffset At,
    int Step,
    int Repeat,
    NotificationRecipient? Recipient,
    string Installation,
    IReadOnlyList<NotificationLink>? Links = null);

/// <summary>
/// A link a message carries besides the incident's <see cref="NotificationMessage.Url"/>: the seam
/// for one-click actions (acknowledge, open in the console). Channels that can show links render
/// every one of them after the incident link, in order; the ones that cannot (SMS, voice) skip them.
/// The escalation engine fills it when <c>public_url</c> is set: "Acknowledge" (a signed, single-use link; pages
/// to a person only) and "Open in console".
/// </summary>
public sealed record NotificationLink(string Label, string Url);

/// <summary>The outcome of one delivery attempt, as recorded in the ledger.</summary>
/// <param name="Reply">HTTP status line, SMTP reply or exit code, whatever the channel's far end said.</param>
public sealed record DeliveryResult(bool Success, int? HttpStatus, string? Reply, TimeSpan Latency, string? Error)
{
    public static DeliveryResult Failed(string error, TimeSpan latency, int? httpStatus = null, string? reply = null) => new(false, httpStatus, reply, latency, error);
}
