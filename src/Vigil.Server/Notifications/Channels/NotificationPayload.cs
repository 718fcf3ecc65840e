using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// The JSON document that webhook notifiers POST and command notifiers get on stdin (schema
/// version <c>1</c>). Names are camelCase. Every key is always present; a value that is not known
/// is an explicit <c>null</c>, so receivers can rely on the shape:
/// <code>
/// {
///   "version": "1",                       // schema version, a string
///   "id": "n-42-1-0",                     // notification id: stable across retries, use it to deduplicate
///   "kind": "trigger",                    // "trigger" (a page) | "resolve" | "ticket" (no page)
///   "installation": "grahmos-prod",       // vigil.name of the sending installation
///   "incident": {
///     "id": 12,                           // number
///     "title": "Edge API health failing",
///     "severity": "P1",
///     "service": "edge-api",              // string or null
///     "status": "triggered",              // triggered | acknowledged | mitigated | resolved | closed
///     "summary": "3 consecutive failures: HTTP 503",
///     "url": "https://ops.example.com/incidents/12"   // string or null
///   },
///   "step": 0,                            // escalation step (0-based)
///   "repeat": 0,                          // pass through the policy (0 = first)
///   "recipient": {                        // or null when the notifier itself is the target
///     "id": "alice", "name": "Alice",
///     "email": "alice@example.com", "slack": "@alice", "phone": null
///   },
///   "at": "2025-03-01T12:00:00Z"          // when the notification was due, UTC, ISO 8601
/// }
/// </code>
/// </summary>
internal static class NotificationPayload
{
    /// <summary>The schema version written to <c>version</c>.</summary>
    public const string SchemaVersion = "1";

    private static readonly JsonWriterOptions _writerOptions = new()
    {
        // Titles and summaries are shown to people: keep non-ASCII readable instead of \uXXXX.
        // The document is never embedded in HTML, so HTML-sensitive characters need no escaping.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The lowercase wire name of a kind: <c>trigger</c>, <c>resolve</c> or <c>ticket</c>.</summary>
    public static string KindName(NotificationKind kind) => kind switch
    {
        NotificationKind.Trigger => "trigger",
        NotificationKind.Resolve => "resolve",
        NotificationKind.Ticket => "ticket",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The document as UTF-8 bytes (no BOM).</summary>
    public static byte[] ToUtf8(NotificationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, _writerOptions))
        {
            w.WriteStartObject();
            w.WriteString("version", SchemaVersion);
            w.WriteString("id", message.Id);
            w.WriteString("kind", KindName(message.Kind));
            w.WriteString("installation", message.Installation);

            w.WriteStartObject("incident");
            w.WriteNumber("id", message.IncidentId);
            w.WriteString("title", message.Title);
            w.WriteString("severity", message.Severity);
            w.WriteString("service", message.Service);
            w.WriteString("status", message.Status);
            w.WriteString("summary", message.Summary);
            w.WriteString("url", message.Url);
            w.WriteEndObject();

            w.WriteNumber("step", message.Step);
            w.WriteNumber("repeat", message.Repeat);

            if (message.Recipient is { } r)
            {
                w.WriteStartObject("recipient");
                w.WriteString("id", r.Id);
                w.WriteString("name", r.Name);
                w.WriteString("email", r.Email);
                w.WriteString("slack", r.Slack);
                w.WriteString("phone", r.Phone);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("recipient");
            }

            w.WriteString("at", message.At.UtcDateTime);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
