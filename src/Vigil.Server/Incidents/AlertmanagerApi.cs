using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;
using Vigil.Server.Http;
using Vigil.Server.Operations;

namespace Vigil.Server.Incidents;

/// <summary>
/// The read and silence side of Alertmanager's API v2, mapped onto Vigil's own signals and silences, so
/// <c>amtool</c>, Grafana's Alertmanager data source and Karma work against Vigil. An "alert" is a firing
/// signal of an open incident; its receiver is the escalation policy that pages for it; an Alertmanager
/// silence is a Vigil silence (the same matchers, the same hold on paging). Names and shapes follow
/// Alertmanager's OpenAPI document (camelCase, RFC 3339 times).
/// </summary>
internal static class AlertmanagerApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private const int MaxAlerts = 10_000;

    public static void MapAlertmanagerApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/api/v2").WithTags("Alertmanager API v2");

        v2.MapGet("/alerts", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
        {
            if (!TryReadQuery(http.Request, out var query, out var error))
            {
                return error!;
            }

            var alerts = await AlertsAsync(store, policies, time, query!, ct);
            return TypedResults.Json(alerts.Select(a => a.View).ToList(), Json);
        }).RequireRole(Role.Viewer).WithSummary("Alerts (firing signals of open incidents), with Alertmanager's filter, active, silenced and inhibited parameters.");

        v2.MapGet("/alerts/groups", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
        {
            if (!TryReadQuery(http.Request, out var query, out var error))
            {
                return error!;
            }

            var alerts = await AlertsAsync(store, policies, time, query!, ct);
            var groups = alerts.GroupBy(a => a.IncidentId).Select(g =>
            {
                var views = g.Select(a => a.View).ToList();
                var common = views.Skip(1).Aggregate((IEnumerable<KeyValuePair<string, string>>)views[0].Labels, (acc, v) => acc.Where(kv => v.Labels.TryGetValue(kv.Key, out var x) && x == kv.Value))
                    .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                common["incident"] = g.Key.ToString(CultureInfo.InvariantCulture);
                return new AlertGroupView(common, views[0].Receivers[0], views);
            }).ToList();
            return TypedResults.Json(groups, Json);
        }).RequireRole(Role.Viewer).WithSummary("Alerts grouped as Vigil groups them: one group per open incident.");

        v2.MapGet("/silences", async Task<IResult> (HttpContext http, IVigilStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (!TryReadFilters(http.Request, out var filters, out var error))
            {
                return error!;
            }

            var now = time.GetUtcNow();
            var silences = await store.ReadAsync((s, c) => s.Operations.ListSilencesAsync(now, c), ct);
            return TypedResults.Json(silences.Where(x => filters!.All(f => x.Matchers.Any(m => m.Label == f.Label && f.MatchesValue(m.Value))))
                .Select(x => SilenceViewOf(x, now)).ToList(), Json);
        }).RequireRole(Role.Viewer).WithSummary("Silences in force or pending (expired ones are not kept in this view; see the audit trail).");

        v2.MapGet("/silence/{id}", async Task<IResult> (string id, IVigilStore store, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var silences = await store.ReadAsync((s, c) => s.Operations.ListSilencesAsync(now, c), ct);
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && silences.FirstOrDefault(x => x.Id == n) is { } found
                ? TypedResults.Json(SilenceViewOf(found, now), Json)
                : Problems.NotFound($"No silence {id} in force or pending; see 'vigil silence list' or GET /api/v2/silences.");
        }).RequireRole(Role.Viewer).WithSummary("One silence in force or pending.");

        v2.MapPost("/silences", async Task<IResult> (HttpContext http, IVigilStore store, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<PostableSilence>(http.Request, ct, VigilJson.Intake);
            if (error is not null)
            {
                return error;
            }

            long? replaces = null;
            if (body!.Id is { Length: > 0 } id)
            {
                if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return Problems.Invalid("id", $"'{id}' is not a silence id of this server; leave id out to create a silence, or give the id GET /api/v2/silences shows.");
                }

                replaces = n;
            }

            var request = new SilenceDraft(
                (body.Matchers ?? []).Select(m => m is null ? "" : new SilenceMatcher(m.Name ?? "", m.Value ?? "", m.IsRegex, m.IsEqual ?? true).ToString()).ToList(),
                body.StartsAt, body.EndsAt, body.Comment, replaces);
            var actor = http.GetPrincipal().Name;
            var outcome = await OperationsEndpoints.AddSilenceAsync(request, actor, store, time, ct);
            return outcome.Result ?? TypedResults.Json(new PostSilenceResponse(outcome.Silence!.Id.ToString(CultureInfo.InvariantCulture)), Json);
        }).RequireRole(Role.Responder).WithSummary("Create a silence (or replace one: give its id) from Alertmanager's PostableSilence.");

        v2.MapDelete("/silence/{id}", async Task<IResult> (string id, HttpContext http, IVigilStore store, CancellationToken ct) =>
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return Problems.NotFound($"No silence {id}; silence ids on this server are numbers (GET /api/v2/silences).");
            }

            var result = await OperationsEndpoints.ExpireSilenceAsync(n, http.GetPrincipal().Name, store, ct);
            return result is Microsoft.AspNetCore.Http.HttpResults.NoContent ? TypedResults.Ok() : result;
        }).RequireRole(Role.Responder).WithSummary("Expire a silence now; escalations it held page at once.");

        v2.MapGet("/receivers", (IncidentPolicies policies) =>
            TypedResults.Json(policies.Current.Config.EscalationPolicies.Where(p => p is not null).Select(p => new ReceiverView(p.Id)).ToList(), Json))
            .RequireRole(Role.Viewer).WithSummary("Receivers: Vigil's escalation policies.");

        v2.MapGet("/status", (IncidentPolicies policies, ServerInfo server, TimeProvider time) =>
            TypedResults.Json(new StatusView(
                new ClusterView(Environment.MachineName, "disabled", []),
                new ConfigView($"# Vigil {server.Version} answers Alertmanager's API v2 from its own config ({policies.Current.Config.Vigil.Name}).\n"
                    + "# Routing, receivers and inhibition are Vigil's escalation policies and dependencies; see vigil.yaml.\n"),
                server.StartedAt,
                new VersionInfoView(server.Version, "vigil", "", "", ServerInfo.CurrentVersion, Environment.Version.ToString())), Json))
            .RequireRole(Role.Viewer).WithSummary("Alertmanager status: version, uptime; clustering is reported as disabled.");
    }

    private static async Task<List<(long IncidentId, AlertView View)>> AlertsAsync(IVigilStore store, IncidentPolicies policies, TimeProvider time, AlertQuery query, CancellationToken ct)
    {
        var policy = policies.Current;
        var now = time.GetUtcNow();
        var (signals, silences) = await store.ReadAsync(async (s, c) =>
        {
            // Two queries whatever the number of open incidents, over the same MaxAlerts newest in the read's one snapshot.
            var open = (await s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Limit: MaxAlerts), c)).ToDictionary(i => i.Id);
            var firing = new List<(Incident Incident, IncidentSignal Signal)>();
            foreach (var signal in await s.Incidents.ListFiringOfOpenAsync(MaxAlerts, c))
            {
                if (open.TryGetValue(signal.IncidentId, out var incident))
                {
                    firing.Add((incident, signal));
                }
            }

            return (firing, await s.Operations.ListSilencesAsync(now, c));
        }, ct);

        var resolveTimeout = policy.Config.Integrations.Alertmanager.ResolveTimeout;
        var active = silences.Where(x => x.IsActiveAt(now)).ToList();
        var result = new List<(long, AlertView)>();
        foreach (var (incident, signal) in signals)
        {
            var labels = EscalationRules.SilenceLabels(signal);
            if (!query.Filters.All(f => f.Matches(labels)))
            {
                continue;
            }

            var silencedBy = active.Where(x => x.Matches(labels)).Select(x => x.Id.ToString(CultureInfo.InvariantCulture)).ToList();
            List<string> inhibitedBy = signal.InhibitedReason is { } why ? [why] : [];
            var suppressed = silencedBy.Count > 0 || inhibitedBy.Count > 0;
            if ((!suppressed && !query.Active) || (silencedBy.Count > 0 && !query.Silenced) || (inhibitedBy.Count > 0 && !query.Inhibited))
            {
                continue;
            }

            var service = signal.Service is { } id ? policy.Config.FindService(id) : null;
            var severity = policy.Config.FindSeverity(incident.Severity);
            var receiver = (severity is null ? null : policy.Config.ResolveEscalationPolicy(service, severity))?.Id ?? "vigil";
            if (query.Receiver is { } r && !r.IsMatch(receiver))
            {
                continue;
            }

            result.Add((incident.Id, new AlertView(
                labels,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["summary"] = signal.Summary, ["incident"] = incident.Id.ToString(CultureInfo.InvariantCulture) },
                signal.FirstAt,
                signal.ExpiresAt ?? signal.LastAt + resolveTimeout,
                signal.LastAt,
                Fingerprint(signal.DedupKey),
                [new ReceiverView(receiver)],
                new AlertStatusView(suppressed ? "suppressed" : "active", silencedBy, inhibitedBy),
                null)));
        }

        return result;
    }

    private static string Fingerprint(string dedupKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupKey)).AsSpan(0, 8));

    private static GettableSilence SilenceViewOf(Silence s, DateTimeOffset now) => new(
        s.Id.ToString(CultureInfo.InvariantCulture),
        new SilenceStatusView(s.ExpiredAt is not null || s.EndsAt <= now ? "expired" : s.StartsAt > now ? "pending" : "active"),
        s.ExpiredAt ?? s.CreatedAt,
        s.Matchers.Select(m => new MatcherView(m.Label, m.Value, m.IsRegex, m.IsEqual)).ToList(),
        s.StartsAt, s.ExpiredAt ?? s.EndsAt, s.CreatedBy, s.Comment);

    private static bool TryReadQuery(HttpRequest request, out AlertQuery? query, out IResult? error)
    {
        query = null;
        if (!TryReadFilters(request, out var filters, out error))
        {
            return false;
        }

        var errors = new IntakeParsing.Errors();
        bool Flag(string name)
        {
            var raw = request.Query[name].ToString();
            if (raw.Length == 0)
            {
                return true;
            }

            if (bool.TryParse(raw, out var value))
            {
                return value;
            }

            errors.Add(name, $"'{raw}' is not true or false.");
            return true;
        }

        var (active, silenced, inhibited) = (Flag("active"), Flag("silenced"), Flag("inhibited"));
        System.Text.RegularExpressions.Regex? receiver = null;
        if (request.Query["receiver"].ToString() is { Length: > 0 } pattern)
        {
            try
            {
                receiver = new System.Text.RegularExpressions.Regex("^(?:" + pattern + ")$", System.Text.RegularExpressions.RegexOptions.NonBacktracking);
            }
            catch (ArgumentException ex)
            {
                errors.Add("receiver", $"'{pattern}' is not a valid regex: {ex.Message}");
            }
        }

        if (errors.Count > 0)
        {
            error = Problems.Invalid(errors);
            return false;
        }

        query = new AlertQuery(filters!, active, silenced, inhibited, receiver);
        return true;
    }

    /// <summary>The repeated <c>filter</c> parameter: matchers in Alertmanager's syntax, like <c>alertname="Disk full"</c>.</summary>
    private static bool TryReadFilters(HttpRequest request, out List<SilenceMatcher>? filters, out IResult? error)
    {
        filters = [];
        var errors = new IntakeParsing.Errors();
        var raw = request.Query["filter"];
        for (var i = 0; i < raw.Count; i++)
        {
            var text = raw[i]?.Trim().TrimStart('{').TrimEnd('}') ?? "";
            if (SilenceMatcher.TryParse(text, out var m, out var why))
            {
                filters.Add(m!);
            }
            else
            {
                errors.Add($"filter[{i}]", why!);
            }
        }

        error = errors.Count > 0 ? Problems.Invalid(errors) : null;
        return error is null;
    }

    private sealed record AlertQuery(List<SilenceMatcher> Filters, bool Active, bool Silenced, bool Inhibited, System.Text.RegularExpressions.Regex? Receiver);

    internal sealed record AlertView(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations, DateTimeOffset StartsAt,
        DateTimeOffset EndsAt, DateTimeOffset UpdatedAt, string Fingerprint, IReadOnlyList<ReceiverView> Receivers, AlertStatusView Status,
        [property: JsonPropertyName("generatorURL")] string? GeneratorUrl);

    internal sealed record AlertStatusView(string State, IReadOnlyList<string> SilencedBy, IReadOnlyList<string> InhibitedBy);

    internal sealed record AlertGroupView(IReadOnlyDictionary<string, string> Labels, ReceiverView Receiver, IReadOnlyList<AlertView> Alerts);

    internal sealed record ReceiverView(string Name);

    internal sealed record MatcherView(string Name, string Value, bool IsRegex, bool IsEqual);

    internal sealed record SilenceStatusView(string State);

    internal sealed record GettableSilence(string Id, SilenceStatusView Status, DateTimeOffset UpdatedAt, IReadOnlyList<MatcherView> Matchers,
        DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment);

    internal sealed record PostableMatcher(string? Name, string? Value, bool IsRegex, bool? IsEqual);

    internal sealed record PostableSilence(string? Id, IReadOnlyList<PostableMatcher?>? Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? CreatedBy, string? Comment);

    internal sealed record PostSilenceResponse([property: JsonPropertyName("silenceID")] string SilenceId);

    internal sealed record ClusterView(string Name, string Status, IReadOnlyList<object> Peers);

    internal sealed record ConfigView(string Original);

    internal sealed record VersionInfoView(string Version, string Branch, string BuildDate, string BuildUser, string Revision, string GoVersion);

    internal sealed record StatusView(ClusterView Cluster, ConfigView Config, DateTimeOffset Uptime, VersionInfoView VersionInfo);
}
