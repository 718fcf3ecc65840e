using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Config;
using Vigil.Server.Incidents;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// Generates bad intake bodies from the recorded payloads: random bytes, truncated JSON, wrong
/// JSON types, deep nesting, strings over their limits, too many labels, nulls where objects
/// belong, wrong content types, and well-formed bodies with one semantic fault (a bad status, no
/// labels, a bad severity, a missing summary). Each body comes from its own seed, so one failing
/// case can be rebuilt alone with <see cref="Create"/>.
/// </summary>
internal static class MalformedBodies
{
    /// <summary>The server's default <c>vigil.max_request_body_bytes</c>.</summary>
    public const int MaxBody = 1024 * 1024;

    private static readonly ConcurrentDictionary<string, string> Compact = new(StringComparer.Ordinal);

    private enum FieldType
    {
        String,
        Date,
        Int,
        Map,
        Array,
        Object,
    }

    private static readonly (string Name, FieldType Type)[] WebhookFields =
    [
        ("version", FieldType.String), ("groupKey", FieldType.String), ("truncatedAlerts", FieldType.Int), ("status", FieldType.String),
        ("receiver", FieldType.String), ("groupLabels", FieldType.Map), ("commonLabels", FieldType.Map), ("commonAnnotations", FieldType.Map),
        ("externalURL", FieldType.String), ("alerts", FieldType.Array),
    ];

    private static readonly (string Name, FieldType Type)[] AlertFields =
    [
        ("status", FieldType.String), ("labels", FieldType.Map), ("annotations", FieldType.Map), ("startsAt", FieldType.Date),
        ("endsAt", FieldType.Date), ("generatorURL", FieldType.String), ("fingerprint", FieldType.String),
    ];

    private static readonly (string Name, FieldType Type)[] EventFields =
    [
        ("routing_key", FieldType.String), ("event_action", FieldType.String), ("dedup_key", FieldType.String),
        ("client", FieldType.String), ("client_url", FieldType.String), ("payload", FieldType.Object),
    ];

    private static readonly (string Name, FieldType Type)[] PayloadFields =
    [
        ("summary", FieldType.String), ("source", FieldType.String), ("severity", FieldType.String), ("component", FieldType.String),
        ("group", FieldType.String), ("class", FieldType.String), ("timestamp", FieldType.Date),
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "application/xml", "text/xml", "text/html",
        "multipart/form-data; boundary=vigil", "application/octet-stream", "application/yaml", "text/json", "application/jsonx",
    ];

    /// <summary>What huge strings are made of: ASCII, non-ASCII, characters JSON escapes, and a surrogate pair.</summary>
    private static readonly string[] Pieces =
        [.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/=".Select(c => c.ToString()), "é", "漢", "ß", "\"", "\\", "\t", "\n", "😀"];

    /// <summary>The bad body for one case seed of a route.</summary>
    public static MalformedBody Create(string route, int caseSeed)
    {
        var rng = new Random(caseSeed);
        var roll = rng.Next(100);
        var body = roll switch
        {
            < 12 => RandomBytes(rng),
            < 24 => Truncated(route, rng),
            < 40 => WrongType(route, rng),
            < 45 => DeepNesting(route, rng),
            < 55 => HugeString(route, rng),
            < 62 when route != Intake.Events => TooManyLabels(route, rng),
            < 68 => Nulls(route, rng),
            < 75 => WrongContentType(route, rng),
            _ => Semantic(route, rng),
        };
        return rng.Next(20) == 0 ? body with { Chunked = true } : body;
    }

    /// <summary>
    /// A few bodies over the 1 MiB limit, well-formed up to past the limit so only the size can reject
    /// them. Those with a Content-Length wait for 100-continue, so the 413 must arrive; those sent
    /// straight away may instead see the connection reset (see <see cref="MalformedBody.MayReset"/>).
    /// </summary>
    public static IReadOnlyList<MalformedBody> Oversized(string route) =>
    [
        Big(route, MaxBody + 1, chunked: false) with { ExpectContinue = true },
        Big(route, 4 * MaxBody, chunked: false) with { ExpectContinue = true },
        Big(route, MaxBody + 1, chunked: false) with { MayReset = true },
        Big(route, MaxBody + (MaxBody / 2), chunked: true) with { MayReset = true },
    ];

    private static MalformedBody Big(string route, int size, bool chunked)
    {
        const string Marker = "@@FILL@@";
        var template = route switch
        {
            Intake.Webhook => """{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Big"}}],"commonAnnotations":{"description":"@@FILL@@"}}""",
            Intake.AlertsV2 => """[{"labels":{"alertname":"Big"},"annotations":{"description":"@@FILL@@"}}]""",
            _ => """{"event_action":"trigger","dedup_key":"big","payload":{"summary":"big","source":"s","severity":"info","custom_details":{"blob":"@@FILL@@"}}}""",
        };
        var fill = new string('x', size - (template.Length - Marker.Length));
        var bytes = Encoding.UTF8.GetBytes(template.Replace(Marker, fill, StringComparison.Ordinal));
        Assert.Equal(size, bytes.Length);
        return new MalformedBody("oversized", bytes, "application/json", chunked, 413);
    }

    private static MalformedBody RandomBytes(Random rng)
    {
        while (true)
        {
            var bytes = new byte[rng.Next(0, 5) == 0 ? rng.Next(0, 4) : rng.Next(1, 257)];
            rng.NextBytes(bytes);
            if (rng.Next(3) == 0 && bytes.Length > 0)
            {
                // Bytes that look like the start of JSON reach deeper into the parser.
                bytes[0] = (byte)"{[\"tfn-1"[rng.Next(8)];
            }

            if (!IsJson(bytes))
            {
                return Json400("random bytes", bytes);
            }
        }
    }

    private static MalformedBody Truncated(string route, Random rng)
    {
        var full = Encoding.UTF8.GetBytes(Template(route, rng).ToJsonString());
        // A proper prefix of a compact JSON object or array never closes its outermost bracket.
        return Json400("truncated JSON", full[..rng.Next(1, full.Length)]);
    }

    private static MalformedBody WrongType(string route, Random rng)
    {
        var root = Template(route, rng);
        if (rng.Next(10) == 0)
        {
            // The whole body is the wrong JSON type.
            JsonNode? whole = route == Intake.AlertsV2
                ? Pick<JsonNode>(rng, new JsonObject(), JsonValue.Create("alerts"), JsonValue.Create(1), JsonValue.Create(true))
                : Pick<JsonNode>(rng, new JsonArray(), JsonValue.Create("event"), JsonValue.Create(1), JsonValue.Create(false), new JsonArray(new JsonObject()));
            return Json400("wrong type: body", whole!.ToJsonString());
        }

        JsonObject target;
        (string Name, FieldType Type)[] fields;
        if (route == Intake.Events)
        {
            var inPayload = rng.Next(2) == 0;
            target = inPayload ? (root["payload"] ??= new JsonObject()).AsObject() : root.AsObject();
            fields = inPayload ? PayloadFields : EventFields;
        }
        else if (route == Intake.Webhook && rng.Next(3) == 0)
        {
            target = root.AsObject();
            fields = WebhookFields;
        }
        else
        {
            var alerts = Alerts(route, root);
            target = alerts[rng.Next(alerts.Count)]!.AsObject();
            fields = AlertFields;
        }

        var (name, type) = fields[rng.Next(fields.Length)];
        if (type == FieldType.Map && rng.Next(2) == 0)
        {
            // A map of the right type holding a value of the wrong type.
            var map = target[name] is JsonObject existing ? existing : (JsonObject)(target[name] = new JsonObject { ["alertname"] = "x" })!;
            var key = map.Count > 0 && rng.Next(2) == 0 ? map.ElementAt(rng.Next(map.Count)).Key : "k" + rng.Next(1000);
            map[key] = WrongValue(FieldType.String, rng);
            return Json400($"wrong type: {name}.{key}", root.ToJsonString());
        }

        target[name] = WrongValue(type, rng);
        return Json400($"wrong type: {name}", root.ToJsonString());
    }

    private static JsonNode WrongValue(FieldType type, Random rng)
    {
        JsonNode[] notString = [JsonValue.Create(42), JsonValue.Create(-7.5), JsonValue.Create(1e300), JsonValue.Create(true), JsonValue.Create(false),
            new JsonObject(), new JsonObject { ["k"] = "v" }, new JsonArray(), new JsonArray("x"), new JsonArray(1, 2)];
        return type switch
        {
            FieldType.String => Pick(rng, notString),
            FieldType.Date => rng.Next(2) == 0 ? Pick(rng, notString)
                : JsonValue.Create(Pick(rng, "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T10:00:00Z", "1700000000", "", "2026-03-14T25:00:00Z", "14/03/2026", "2026-03-14T10:00:00+0")),
            FieldType.Int => Pick<JsonNode>(rng, JsonValue.Create(true), JsonValue.Create("three"), new JsonObject(), new JsonArray(), JsonValue.Create(1.5),
                JsonValue.Create(1e20), JsonValue.Create(2147483648L)),
            FieldType.Map => Pick<JsonNode>(rng, JsonValue.Create("labels"), JsonValue.Create(1), JsonValue.Create(true), new JsonArray(),
                new JsonArray(new JsonObject { ["a"] = "b" })),
            FieldType.Array => Pick<JsonNode>(rng, new JsonObject(), JsonValue.Create("alerts"), JsonValue.Create(1), JsonValue.Create(true)),
            _ => Pick<JsonNode>(rng, JsonValue.Create("payload"), JsonValue.Create(1), new JsonArray(), JsonValue.Create(true)),
        };
    }

    private static MalformedBody DeepNesting(string route, Random rng)
    {
        var depth = rng.Next(0, 4) == 0 ? rng.Next(1000, 20_000) : rng.Next(33, 300);
        var objects = rng.Next(2) == 0;
        var open = objects ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) : new string('[', depth);
        var close = objects ? new string('}', depth) : new string(']', depth);
        var deep = open + (objects ? "1" : "") + (rng.Next(4) == 0 ? "" : close); // sometimes never closed
        switch (rng.Next(3))
        {
            case 0:
                return Json400("deep nesting: body", deep);
            case 1:
                // Even a field Vigil ignores must not be nested past the limit.
                var body = Template(route, rng).ToJsonString();
                var at = route == Intake.AlertsV2 ? body.IndexOf('{', StringComparison.Ordinal) + 1 : 1;
                return Json400("deep nesting: unknown field", body[..at] + "\"x_extra\":" + deep + "," + body[at..]);
            default:
                // A field that takes any JSON (custom_details) or a label map.
                var root = Template(route, rng);
                if (route == Intake.Events)
                {
                    var payload = (root["payload"] ??= new JsonObject { ["summary"] = "s", ["source"] = "s", ["severity"] = "info" }).AsObject();
                    payload["custom_details"] = "@@DEEP@@";
                }
                else
                {
                    var alerts = Alerts(route, root);
                    alerts[rng.Next(alerts.Count)]!["annotations"] = "@@DEEP@@";
                }

                return Json400("deep nesting: field", root.ToJsonString().Replace("\"@@DEEP@@\"", deep, StringComparison.Ordinal));
        }
    }

    private static MalformedBody HugeString(string route, Random rng)
    {
        var root = Template(route, rng);
        string what;
        int limit;
        if (route == Intake.Events)
        {
            (what, limit) = Pick(rng, ("payload.summary", IntakeParsing.MaxSummary), ("payload.source", 255), ("dedup_key", IntakeParsing.MaxDedupKey),
                ("routing_key", 256), ("payload.component", LabelRules.MaxValueLength), ("payload.group", LabelRules.MaxValueLength),
                ("payload.class", LabelRules.MaxValueLength));
            var text = Text(rng, OverLimit(rng, limit));
            if (what.StartsWith("payload.", StringComparison.Ordinal))
            {
                // Payload fields are only read on trigger.
                root = Intake.PayloadNode("pagerduty-trigger.json");
                root["payload"]![what["payload.".Length..]] = text;
            }
            else
            {
                root[what] = text;
            }

            return Json400($"huge string: {what}", root.ToJsonString());
        }

        var alerts = Alerts(route, root);
        var alert = alerts[rng.Next(alerts.Count)]!;
        (what, limit) = Pick(rng, ("label value", LabelRules.MaxValueLength), ("label name", LabelRules.MaxKeyLength), ("fingerprint", IntakeParsing.MaxDedupKey));
        var huge = Text(rng, OverLimit(rng, limit));
        switch (what)
        {
            case "label value":
                alert["labels"]![Pick(rng, "alertname", "instance", "severity", "extra")] = huge;
                break;
            case "label name":
                alert["labels"]![huge] = "v";
                break;
            default:
                alert["fingerprint"] = huge;
                break;
        }

        return Json400($"huge string: {what}", root.ToJsonString());
    }

    private static MalformedBody TooManyLabels(string route, Random rng)
    {
        var root = Template(route, rng);
        var alerts = Alerts(route, root);
        var labels = alerts[rng.Next(alerts.Count)]!["labels"]!.AsObject();
        var count = rng.Next(LabelRules.MaxCount + 1, rng.Next(4) == 0 ? 2000 : 120);
        for (var i = labels.Count; i < count; i++)
        {
            labels["label_" + i] = "v" + i;
        }

        return Json400($"too many labels: {labels.Count}", root.ToJsonString());
    }

    private static MalformedBody Nulls(string route, Random rng)
    {
        if (rng.Next(6) == 0)
        {
            return Json400("null: body", "null");
        }

        var root = Template(route, rng);
        if (route == Intake.Events)
        {
            root = Intake.PayloadNode("pagerduty-trigger.json");
            var field = Pick(rng, "payload", "payload.summary", "payload.source", "payload.severity", "event_action");
            if (field.StartsWith("payload.", StringComparison.Ordinal))
            {
                root["payload"]![field["payload.".Length..]] = null;
            }
            else
            {
                root[field] = null;
            }

            return Json400($"null: {field}", root.ToJsonString());
        }

        var alerts = Alerts(route, root);
        if (rng.Next(3) == 0)
        {
            var alert = alerts[rng.Next(alerts.Count)]!;
            var name = Pick(rng, "alertname", "instance", "severity");
            alert["labels"]![name] = null;
            return Json400($"null: label value {name}", root.ToJsonString());
        }

        var nulls = rng.Next(1, 4);
        for (var i = 0; i < nulls; i++)
        {
            alerts.Insert(rng.Next(alerts.Count + 1), null);
        }

        return Json400($"null: {nulls} alert(s) in the array", root.ToJsonString());
    }

    private static MalformedBody WrongContentType(string route, Random rng)
    {
        var body = Encoding.UTF8.GetBytes(Template(route, rng).ToJsonString());
        var type = rng.Next(8) == 0 ? null : Pick(rng, WrongContentTypes);
        return new MalformedBody($"content type: {type ?? "(none)"}", body, type, false, 415);
    }

    private static MalformedBody Semantic(string route, Random rng)
    {
        if (rng.Next(40) == 0 && route != Intake.Events)
        {
            // More alerts than one request may carry; each alert on its own is fine.
            var many = new JsonArray();
            var n = IntakeParsing.MaxAlerts + rng.Next(1, 50);
            for (var i = 0; i < n; i++)
            {
                many.Add(new JsonObject { ["status"] = "firing", ["labels"] = new JsonObject { ["alertname"] = "Many", ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
            }

            JsonNode body = route == Intake.Webhook ? new JsonObject { ["version"] = "4", ["status"] = "firing", ["alerts"] = many } : many;
            return Json400($"semantic: {n} alerts", body.ToJsonString());
        }

        var root = Template(route, rng);
        if (route == Intake.Events)
        {
            return EventSemantic(root, rng);
        }

        var alerts = Alerts(route, root);
        var alert = alerts[rng.Next(alerts.Count)]!.AsObject();
        var fault = route == Intake.Webhook ? rng.Next(9) : rng.Next(3, 9);
        string what;
        switch (fault)
        {
            case 0:
                what = "webhook version";
                root["version"] = Pick(rng, "3", "5", "v4", "", "4.0", "four");
                break;
            case 1:
                what = "alert status";
                alert["status"] = Pick(rng, "pending", "FIRING", "Resolved", "", "inactive", "suppressed", "active", "ok");
                break;
            case 2:
                what = rng.Next(2) == 0 ? "no alerts list" : "negative truncatedAlerts";
                if (what == "no alerts list")
                {
                    root.AsObject().Remove("alerts");
                }
                else
                {
                    root["truncatedAlerts"] = -rng.Next(1, 1000);
                }

                break;
            case 3:
                what = "alert without labels";
                alert.Remove("labels");
                break;
            case 4:
                what = "alert with empty labels";
                alert["labels"] = new JsonObject();
                break;
            case 5:
                what = "empty label name";
                alert["labels"]![""] = "v";
                break;
            case 6:
                what = "empty fingerprint";
                alert["fingerprint"] = "";
                break;
            case 7:
                what = "null labels";
                alert["labels"] = null;
                break;
            default:
                what = "alert is not an object";
                alerts[alerts.IndexOf(alert)] = null;
                break;
        }

        return Json400($"semantic: {what} (in a batch of {alerts.Count})", root.ToJsonString());
    }

    private static MalformedBody EventSemantic(JsonNode root, Random rng)
    {
        var trigger = Intake.PayloadNode("pagerduty-trigger.json");
        var payload = trigger["payload"]!.AsObject();
        string what;
        switch (rng.Next(11))
        {
            case 0:
                what = "unknown event_action";
                root["event_action"] = Pick(rng, "escalate", "Trigger", "TRIGGER", "ack", "resolved", "", " trigger", "snooze");
                return Json400($"semantic: {what}", root.ToJsonString());
            case 1:
                what = "no event_action";
                root.AsObject().Remove("event_action");
                return Json400($"semantic: {what}", root.ToJsonString());
            case 2:
                what = "trigger without payload";
                trigger.AsObject().Remove("payload");
                break;
            case 3:
                what = "missing summary";
                if (rng.Next(2) == 0)
                {
                    payload.Remove("summary");
                }
                else
                {
                    payload["summary"] = Pick(rng, "", " ", "\t\n");
                }

                break;
            case 4:
                what = "missing source";
                if (rng.Next(2) == 0)
                {
                    payload.Remove("source");
                }
                else
                {
                    payload["source"] = Pick(rng, "", "   ");
                }

                break;
            case 5:
                what = "bad severity";
                if (rng.Next(4) == 0)
                {
                    payload.Remove("severity");
                }
                else
                {
                    payload["severity"] = Pick(rng, "fatal", "CRITICAL", "Critical", "high", "P1", "", "warn", "debug", "page");
                }

                break;
            case 6:
                what = "acknowledge or resolve without dedup_key";
                root = new JsonObject { ["routing_key"] = "samplekeyhere", ["event_action"] = Pick(rng, "acknowledge", "resolve") };
                return Json400($"semantic: {what}", root.ToJsonString());
            case 7:
                what = "empty dedup_key";
                root["dedup_key"] = "";
                return Json400($"semantic: {what}", root.ToJsonString());
            case 8:
                what = "several faults";
                payload.Remove("summary");
                payload["severity"] = "fatal";
                trigger["dedup_key"] = "";
                break;
            case 9:
                what = "label value too long";
                payload[Pick(rng, "component", "group", "class")] = new string('c', LabelRules.MaxValueLength + 1 + rng.Next(100));
                break;
            default:
                what = "payload summary too long";
                payload["summary"] = new string('s', IntakeParsing.MaxSummary + 1 + rng.Next(2000));
                break;
        }

        return Json400($"semantic: {what}", trigger.ToJsonString());
    }

    private static JsonNode Template(string route, Random rng) => route switch
    {
        Intake.Webhook => Parse(Pick(rng, "alertmanager-firing.json", "alertmanager-grouped.json", "alertmanager-truncated.json", "alertmanager-resolved.json")),
        Intake.AlertsV2 => rng.Next(3) == 0 ? Parse("alertmanager-grouped.json")["alerts"]!.DeepClone() : Parse(Pick(rng, "prometheus-alerts-firing.json", "prometheus-alerts-ended.json")),
        _ => Parse(Pick(rng, "pagerduty-trigger.json", "pagerduty-trigger.json", "pagerduty-acknowledge.json", "pagerduty-resolve.json")),
    };

    private static JsonNode Parse(string file) => JsonNode.Parse(Compact.GetOrAdd(file, f => Intake.PayloadNode(f).ToJsonString()))!;

    private static JsonArray Alerts(string route, JsonNode root) => route == Intake.Webhook ? root["alerts"]!.AsArray() : root.AsArray();

    /// <summary>Mostly just over the limit, sometimes far over it, rarely up to 256 KB (all under the body limit).</summary>
    private static int OverLimit(Random rng, int limit) => rng.Next(100) switch
    {
        < 80 => rng.Next(limit + 1, (limit * 4) + 2),
        < 99 => rng.Next(limit + 1, 16_384),
        _ => rng.Next(limit + 1, 256 * 1024),
    };

    private static string Text(Random rng, int length)
    {
        var sb = new StringBuilder(length + 2);
        while (sb.Length < length)
        {
            sb.Append(Pieces[rng.Next(Pieces.Length)]);
        }

        return sb.ToString();
    }

    private static bool IsJson(byte[] bytes)
    {
        try
        {
            using var _ = JsonDocument.Parse(bytes);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static T Pick<T>(Random rng, params T[] items) => items[rng.Next(items.Length)];

    private static MalformedBody Json400(string kind, string json) => Json400(kind, Encoding.UTF8.GetBytes(json));

    private static MalformedBody Json400(string kind, byte[] body) => new(kind, body, "application/json", false, 400);
}
