using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Incidents;

namespace Vigil.Server.Incidents;

/// <summary>
/// Turns intake bodies into signals, checking every field first: a body with any fault is
/// rejected whole with every fault named, so a rejected request changes nothing.
/// </summary>
public static class IntakeParsing
{
    /// <summary>Longest signal summary kept; longer alert texts are cut with a visible mark.</summary>
    public const int MaxSummary = 1024;

    /// <summary>Longest dedup key (PagerDuty's limit).</summary>
    public const int MaxDedupKey = 255;

    /// <summary>Most alerts in one request.</summary>
    public const int MaxAlerts = 1000;

    public sealed class Errors : Dictionary<string, string[]>
    {
        public void Add(string field, string message) =>
            this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }

    public static (List<IntakeCommand> Commands, string? TimelineNote) FromWebhook(AlertmanagerWebhook body, IncidentPolicy policy, string actor, DateTimeOffset now, Errors errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(errors);
        if (body.Version is not null && body.Version != "4")
        {
            errors.Add("version", $"Payload version '{body.Version}' is not supported; Vigil reads Alertmanager webhook version 4.");
        }

        if (body.Alerts is null)
        {
            errors.Add("alerts", "The webhook has no 'alerts' list; is this an Alertmanager webhook (version 4)?");
            return ([], null);
        }

        var commands = Alerts(body.Alerts, "alerts", policy, actor, now, resolveTimeout: null, errors, body.Status);
        var note = body.TruncatedAlerts is > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Alertmanager truncated {body.TruncatedAlerts} alert(s) of group {body.GroupKey ?? "?"} (its max_alerts); they are not in this webhook.")
            : null;
        if (body.TruncatedAlerts is < 0)
        {
            errors.Add("truncatedAlerts", "must not be negative");
        }

        return (commands, note);
    }

    public static List<IntakeCommand> FromApiV2(List<AlertmanagerAlert?> alerts, IncidentPolicy policy, string actor, DateTimeOffset now, Errors errors)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(policy);
        return Alerts(alerts, "", policy, actor, now, policy.Config.Integrations.Alertmanager.ResolveTimeout, errors, null);
    }

    private static List<IntakeCommand> Alerts(List<AlertmanagerAlert?> alerts, string path, IncidentPolicy policy, string actor, DateTimeOffset now,
        TimeSpan? resolveTimeout, Errors errors, string? groupStatus)
    {
        var commands = new List<IntakeCommand>(alerts.Count);
        if (alerts.Count > MaxAlerts)
        {
            errors.Add(path.Length == 0 ? "body" : path, $"{alerts.Count} alerts in one request; at most {MaxAlerts} are accepted. Send them in smaller batches.");
            return commands;
        }

        var route = policy.Config.Integrations.Alertmanager.Route;
        for (var i = 0; i < alerts.Count; i++)
        {
            var at = path.Length == 0 ? $"[{i}]" : $"{path}[{i}]";
            var a = alerts[i];
            if (a is null)
            {
                errors.Add(at, "An alert must be an object, not null.");
                continue;
            }

            if (a.Labels is null || a.Labels.Count == 0)
            {
                errors.Add($"{at}.labels", "An alert needs labels (at least alertname); they identify it.");
                continue;
            }

            if (!CheckLabels(a.Labels, $"{at}.labels", errors))
            {
                continue;
            }

            var startsAt = Valid(a.StartsAt);
            var endsAt = Valid(a.EndsAt);
            SignalStatus status;
            DateTimeOffset? expires = null;
            if (resolveTimeout is { } timeout)
            {
                // API v2: an alert is resolved once its endsAt has passed; without endsAt it lives for resolve_timeout.
                status = endsAt is { } e && e <= now ? SignalStatus.Resolved : SignalStatus.Firing;
                expires = status == SignalStatus.Firing ? endsAt ?? now + timeout : null;
            }
            else
            {
                var s = a.Status ?? groupStatus;
                if (s is not ("firing" or "resolved"))
                {
                    errors.Add($"{at}.status", $"'{s ?? "(missing)"}' is not an alert status; Alertmanager sends 'firing' or 'resolved'.");
                    continue;
                }

                status = s == "firing" ? SignalStatus.Firing : SignalStatus.Resolved;
            }

            var fingerprint = a.Fingerprint;
            if (fingerprint is not null && (fingerprint.Length == 0 || fingerprint.Length > MaxDedupKey))
            {
                errors.Add($"{at}.fingerprint", $"must be 1 to {MaxDedupKey} characters");
                continue;
            }

            var labels = (IReadOnlyDictionary<string, string>)a.Labels;
            var (severity, service) = policy.Route(route, labels);
            var summary = a.Annotations?.GetValueOrDefault("summary") ?? a.Annotations?.GetValueOrDefault("description")
                ?? labels.GetValueOrDefault("alertname") ?? "alert";
            var signalAt = status == SignalStatus.Firing ? Earlier(startsAt, now) : Earlier(endsAt, now);
            commands.Add(IntakeCommand.Apply(new Signal(SignalSource.Alertmanager, fingerprint ?? Fingerprint(labels), status, Clip(summary), severity, service,
                labels, signalAt, expires), actor));
        }

        return commands;
    }

    public static IntakeCommand? FromEvent(EventRequest body, IncidentPolicy policy, string actor, DateTimeOffset now, Errors errors, out string dedupKey)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(errors);
        dedupKey = body.DedupKey ?? string.Empty;
        if (body.DedupKey is { } key && (key.Length == 0 || key.Length > MaxDedupKey))
        {
            errors.Add("dedup_key", $"must be 1 to {MaxDedupKey} characters");
        }

        switch (body.EventAction)
        {
            case "trigger":
                break;
            case "acknowledge" or "resolve":
                if (body.DedupKey is null)
                {
                    errors.Add("dedup_key", $"'{body.EventAction}' needs the dedup_key that the trigger returned.");
                }

                break;
            default:
                errors.Add("event_action", $"'{body.EventAction ?? "(missing)"}' is not an event action; use trigger, acknowledge or resolve.");
                break;
        }

        var cfg = policy.Config.Integrations.Events;
        string? routedService = null;
        if (body.RoutingKey is { } rk && rk.Length > 0)
        {
            if (rk.Length > 256)
            {
                errors.Add("routing_key", "must be at most 256 characters");
            }
            else
            {
                routedService = cfg.RoutingKeys.GetValueOrDefault(rk);
            }
        }

        if (body.EventAction != "trigger")
        {
            if (errors.Count > 0)
            {
                return null;
            }

            return body.EventAction == "acknowledge"
                ? IntakeCommand.Acknowledge(dedupKey, actor)
                : IntakeCommand.Apply(new Signal(SignalSource.Events, dedupKey, SignalStatus.Resolved, "resolve event", policy.Lowest.Id, routedService,
                    new Dictionary<string, string>(), now), actor);
        }

        var p = body.Payload;
        if (p is null)
        {
            errors.Add("payload", "A trigger needs a payload with summary, source and severity.");
            return null;
        }

        Require(p.Summary, "payload.summary", MaxSummary, errors);
        Require(p.Source, "payload.source", 255, errors);
        if (p.Severity is not ("critical" or "error" or "warning" or "info"))
        {
            errors.Add("payload.severity", $"'{p.Severity ?? "(missing)"}' is not a severity; use critical, error, warning or info.");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in new[] { ("source", p.Source), ("component", p.Component), ("group", p.Group), ("class", p.Class), ("severity", p.Severity) })
        {
            if (value is { Length: > 0 })
            {
                labels[name] = value;
            }
        }

        CheckLabels(labels, "payload", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        if (dedupKey.Length == 0)
        {
            dedupKey = Guid.NewGuid().ToString("N");
        }

        var (severity, service) = policy.Route(cfg.Route, labels);
        var details = p.CustomDetails is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } d ? d.GetRawText() : null;
        return new IntakeCommand(new Signal(SignalSource.Events, dedupKey, SignalStatus.Firing, p.Summary!, severity, routedService ?? service, labels,
            Earlier(Valid(p.Timestamp), now)), null, actor, details is null ? null : "custom_details: " + Clip(details, 4096));
    }

    private static void Require(string? value, string field, int max, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > max)
        {
            errors.Add(field, $"is {value.Length} characters; at most {max} are accepted");
        }
    }

    private static bool CheckLabels(IReadOnlyDictionary<string, string> labels, string field, Errors errors)
    {
        if (labels.Count > LabelRules.MaxCount)
        {
            errors.Add(field, $"{labels.Count} labels; at most {LabelRules.MaxCount} are accepted.");
            return false;
        }

        var ok = true;
        foreach (var (k, v) in labels)
        {
            if (k.Length is 0 or > LabelRules.MaxKeyLength)
            {
                errors.Add($"{field}.{Clip(k, 80)}", $"label names must be 1 to {LabelRules.MaxKeyLength} characters");
                ok = false;
            }
            else if (v is null || v.Length > LabelRules.MaxValueLength)
            {
                errors.Add($"{field}.{k}", $"label values must be strings of at most {LabelRules.MaxValueLength} characters");
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>Go's zero time (<c>0001-01-01T00:00:00Z</c>) means "not set".</summary>
    private static DateTimeOffset? Valid(DateTimeOffset? t) => t is { Year: > 1 } v ? v : null;

    /// <summary>A sender's clock can be ahead; never record a signal in the future.</summary>
    private static DateTimeOffset Earlier(DateTimeOffset? t, DateTimeOffset now) => t is { } v && v < now ? v : now;

    private static string Clip(string text, int max = MaxSummary) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 14), "… [truncated]");

    /// <summary>A stable fingerprint of a label set, for alerts that do not carry Alertmanager's.</summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var sb = new StringBuilder();
        foreach (var (k, v) in labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('\u0001').Append(v).Append('\u0002');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())).AsSpan(0, 8));
    }
}
