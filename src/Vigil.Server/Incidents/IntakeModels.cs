using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Server.Incidents;

/// <summary>Alertmanager's webhook body (payload version 4).</summary>
public sealed record AlertmanagerWebhook(
    string? Version,
    string? GroupKey,
    int? TruncatedAlerts,
    string? Status,
    string? Receiver,
    Dictionary<string, string>? GroupLabels,
    Dictionary<string, string>? CommonLabels,
    Dictionary<string, string>? CommonAnnotations,
    string? ExternalUrl,
    List<AlertmanagerAlert?>? Alerts);

/// <summary>One alert, as in the webhook and in Alertmanager's API v2 <c>POST /api/v2/alerts</c>.</summary>
public sealed record AlertmanagerAlert(
    string? Status,
    Dictionary<string, string>? Labels,
    Dictionary<string, string>? Annotations,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl,
    string? Fingerprint);

/// <summary>A PagerDuty Events v2-shaped event.</summary>
public sealed record EventRequest(
    [property: JsonPropertyName("routing_key")] string? RoutingKey,
    [property: JsonPropertyName("event_action")] string? EventAction,
    [property: JsonPropertyName("dedup_key")] string? DedupKey,
    EventPayload? Payload,
    string? Client,
    [property: JsonPropertyName("client_url")] string? ClientUrl);

/// <summary>The <c>payload</c> of a trigger event.</summary>
public sealed record EventPayload(
    string? Summary,
    string? Source,
    string? Severity,
    string? Component,
    string? Group,
    string? Class,
    [property: JsonConverter(typeof(EventTimestampConverter))] DateTimeOffset? Timestamp,
    [property: JsonPropertyName("custom_details")] JsonElement? CustomDetails);

/// <summary>The answer to an event, as PagerDuty gives it.</summary>
public sealed record EventResponse(
    string Status,
    string Message,
    [property: JsonPropertyName("dedup_key")] string DedupKey,
    [property: JsonPropertyName("incident_id")] long? IncidentId);
