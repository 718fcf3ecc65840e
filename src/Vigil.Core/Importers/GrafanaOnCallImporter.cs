using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.OnCall;

namespace Vigil.Core.Importers;

/// <summary>
/// Maps Grafana OnCall public API v1 objects onto Vigil config. Every list answer is
/// <c>{count, next, previous, results}</c>, so files are recognised by name after the endpoint:
/// <c>users*.json</c>, <c>schedules*.json</c>, <c>on_call_shifts*.json</c>, <c>escalation_chains*.json</c>,
/// <c>escalation_policies*.json</c>, <c>integrations*.json</c>, <c>webhooks*.json</c>.
/// <para>Semantics: a <c>rolling_users</c> or <c>recurrent_event</c> shift has events starting at
/// <c>start</c> (a local time in the shift's <c>time_zone</c>) every <c>interval</c> hours/days/weeks
/// (<c>frequency</c>), at the same local time across DST, each lasting <c>duration</c> seconds;
/// event n goes to group n mod the number of <c>rolling_users</c> groups. Among events covering an
/// instant the highest <c>level</c> wins; <c>override</c> shifts win over all.</para>
/// </summary>
public static class GrafanaOnCallImporter
{
    private static readonly string[] _kinds = ["users", "schedules", "on_call_shifts", "escalation_chains", "escalation_policies", "integrations", "webhooks"];

    public static ImportResult Map(IReadOnlyList<ImportDocument> documents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var result = new ImportResult { Vendor = ImportVendor.GrafanaOnCall };
        var byKind = _kinds.ToDictionary(k => k, _ => new List<JsonNode>(), StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            var name = Path.GetFileNameWithoutExtension(doc.File).ToLowerInvariant();
            var kind = _kinds.OrderByDescending(k => k.Length).FirstOrDefault(k => name.StartsWith(k, StringComparison.Ordinal));
            var root = JsonNode.Root(doc);
            if (kind is null)
            {
                throw root.Fail($"`{Path.GetFileName(doc.File)}` is not named after a Grafana OnCall endpoint (every list answer is `results`, so the name says what it holds)",
                    "name it users.json, schedules.json, on_call_shifts.json, escalation_chains.json, escalation_policies.json, integrations.json or webhooks.json (a suffix like users-2.json is fine)");
            }

            byKind[kind].AddRange(root.Has("results") ? root.Req("results").AsItems() : [root]);
        }

        var personIds = new IdAllocator();
        foreach (var user in byKind["users"].DistinctBy(u => u.Str("id")))
        {
            var id = user.Str("id");
            var email = user.OptStr("email");
            var username = user.OptStr("username");
            var person = new PersonConfig { Id = personIds.Take(email?.Split('@')[0] ?? username, id), Name = username ?? email ?? id, Email = email };
            if (user.OptStr("timezone") is { } tz)
            {
                ImportShapes.Zone(user.Req("timezone"), tz);
                person.Timezone = tz;
            }

            result.People.Add(person);
            result.PersonIds[id] = person.Id;
        }

        var shifts = byKind["on_call_shifts"].DistinctBy(s => s.Str("id")).ToList();
        var scheduleIds = new IdAllocator();
        foreach (var schedule in byKind["schedules"].DistinctBy(s => s.Str("id")))
        {
            var id = schedule.Str("id");
            var name = schedule.OptStr("name") ?? id;
            var label = $"schedule \"{name}\" ({id})";
            if (schedule.OptStr("type") == "ical")
            {
                result.Skip("schedule", label, "it is an iCal schedule (its shifts live in an external calendar); recreate it as Vigil layers by hand");
                continue;
            }

            var tzName = schedule.OptStr("time_zone") ?? "UTC";
            var zone = ImportShapes.Zone(schedule.Opt("time_zone") ?? schedule, tzName);
            var listed = schedule.Items("shifts").Select(s => s.AsString()).ToHashSet(StringComparer.Ordinal);
            var mine = shifts.Where(s => listed.Contains(s.Str("id")) || s.OptStr("schedule") == id).ToList();
            var layers = new List<(long Level, ScheduleLayerConfig Layer)>();
            var overrides = new List<ScheduleOverrideConfig>();
            foreach (var shift in mine)
            {
                var shiftLabel = $"{label} shift \"{shift.OptStr("name") ?? shift.Str("id")}\"";
                var shiftZone = shift.OptStr("time_zone") ?? tzName;
                if (!string.Equals(shiftZone, tzName, StringComparison.Ordinal))
                {
                    result.Skip("shift", shiftLabel, $"its time zone {shiftZone} differs from the schedule's {tzName}; Vigil layers use the schedule's zone. Move it to a schedule of its own");
                    continue;
                }

                var type = shift.Str("type");
                var startNode = shift.Req("start");
                if (!DateTime.TryParseExact(startNode.AsString(), ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var startLocal))
                {
                    throw startNode.Fail($"`{startNode.AsString()}` is not a local time", "write it as Grafana OnCall returns it, like 2027-01-04T09:00:00");
                }

                var start = WallClock.ToInstant(startLocal, zone);
                var duration = shift.Long("duration");
                if (type == "override")
                {
                    var users = shift.Items("users").Select(u => u.AsString()).ToList();
                    if (users.Count != 1 || !result.PersonIds.TryGetValue(users[0], out var who))
                    {
                        result.Skip("override", shiftLabel, users.Count != 1 ? "it puts several people on call at once; Vigil overrides name one person" : $"user {users[0]} is not in users.json");
                        continue;
                    }

                    if (start.AddSeconds(duration) > now)
                    {
                        overrides.Add(new ScheduleOverrideConfig { Person = who, Start = start, End = start.AddSeconds(duration), Reason = $"Grafana OnCall override {shift.Str("id")}" });
                    }

                    continue;
                }

                if (MapShift(shift, type, start, duration, zone, result, shiftLabel) is { } layer)
                {
                    layers.Add((shift.OptLong("level") ?? 0, layer));
                }
            }

            if (layers.Count == 0)
            {
                result.Skip("schedule", label, "none of its shifts could be mapped (see the entries above); a Vigil schedule needs at least one layer");
                continue;
            }

            // Vigil: the last layer wins; Grafana OnCall: the highest level.
            var config = new ScheduleConfig
            {
                Id = scheduleIds.Take(name, id), Name = name, Timezone = tzName,
                Layers = layers.OrderBy(l => l.Level).Select(l => l.Layer).ToList(),
                Overrides = overrides.OrderBy(o => o.Start).ToList(),
            };
            result.Schedules.Add(config);
            result.ScheduleIds[id] = config.Id;
        }

        var webhooks = new Dictionary<string, string>(StringComparer.Ordinal);
        var notifierIds = new IdAllocator();
        foreach (var hook in byKind["webhooks"].DistinctBy(w => w.Str("id")))
        {
            var name = hook.OptStr("name") ?? hook.Str("id");
            var url = hook.OptStr("url");
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Contains("{{", StringComparison.Ordinal))
            {
                result.Skip("webhook", $"webhook \"{name}\"", "its URL is missing or templated; Vigil webhooks post a fixed JSON payload to a fixed URL");
                continue;
            }

            var id = notifierIds.Take(name, hook.Str("id"));
            result.Notifiers.Add(new ImportedNotifier(id, url, $"from Grafana OnCall webhook \"{name}\"; Vigil sends its own payload (docs/oncall.md#webhook-payload-version-1), not the OnCall template"));
            webhooks[hook.Str("id")] = id;
        }

        var chains = byKind["escalation_chains"].DistinctBy(c => c.Str("id")).ToList();
        var steps = byKind["escalation_policies"].GroupBy(p => p.Str("escalation_chain_id")).ToDictionary(g => g.Key, g => g.OrderBy(p => p.OptLong("position") ?? 0).ToList());
        var policyIds = new IdAllocator();
        var policyMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            var id = chain.Str("id");
            var name = chain.OptStr("name") ?? id;
            var label = $"escalation chain \"{name}\" ({id})";
            var mapped = new List<EscalationStepConfig>();
            var after = TimeSpan.Zero;
            var repeat = 0;
            foreach (var step in steps.TryGetValue(id, out var list) ? list : [])
            {
                var type = step.OptStr("type") ?? string.Empty;
                var targets = new List<NotifyTarget>();
                switch (type)
                {
                    case "wait":
                        after += TimeSpan.FromSeconds(step.OptLong("duration") ?? 0);
                        continue;
                    case "notify_persons":
                    case "notify_person_next_each_time":
                        foreach (var u in step.Items("persons_to_notify").Concat(step.Items("persons_to_notify_next_each_time")).Select(u => u.AsString()))
                        {
                            if (result.PersonIds.TryGetValue(u, out var p))
                            {
                                targets.Add(new NotifyTarget(NotifyTargetKind.Person, p));
                            }
                            else
                            {
                                result.Skip("escalation step", $"{label} step {StepName(step)}", $"user {u} is not in users.json");
                            }
                        }

                        if (type == "notify_person_next_each_time")
                        {
                            result.Skip("escalation step", $"{label} step {StepName(step)}", "`notify_person_next_each_time` pages one person per alert in turn; Vigil pages all of them");
                        }

                        break;
                    case "notify_on_call_from_schedule":
                        var sid = step.OptStr("notify_on_call_from_schedule");
                        if (sid is not null && result.ScheduleIds.TryGetValue(sid, out var s))
                        {
                            targets.Add(new NotifyTarget(NotifyTargetKind.Schedule, s));
                        }
                        else
                        {
                            result.Skip("escalation step", $"{label} step {StepName(step)}", $"schedule {sid} was not imported (see above)");
                        }

                        break;
                    case "trigger_webhook" or "trigger_action":
                        var wid = step.OptStr("action_to_trigger");
                        if (wid is not null && webhooks.TryGetValue(wid, out var n))
                        {
                            targets.Add(new NotifyTarget(NotifyTargetKind.Notifier, n));
                        }
                        else
                        {
                            result.Skip("escalation step", $"{label} step {StepName(step)}", $"webhook {wid} was not imported (see above)");
                        }

                        break;
                    case "repeat_escalation":
                        repeat = 5;
                        result.Skip("escalation repeat", label, "Grafana OnCall repeats the chain up to 5 times; imported as repeat: 5");
                        continue;
                    default:
                        result.Skip("escalation step", $"{label} step {StepName(step)}", $"step type `{type}` has no Vigil equivalent (Vigil pages people, schedules and notifiers, and stops on acknowledge)");
                        continue;
                }

                if (step.OptBool("important") == true)
                {
                    result.Skip("escalation step", $"{label} step {StepName(step)}", "`important` notifications (the person's important notification rules) have no Vigil equivalent; every page is a page");
                }

                if (targets.Count > 0)
                {
                    mapped.Add(new EscalationStepConfig { After = after, Notify = targets.Distinct().ToList() });
                }
            }

            if (mapped.Count == 0)
            {
                result.Skip("escalation chain", label, "no step Vigil could map");
                continue;
            }

            var config = new EscalationPolicyConfig
            {
                Id = policyIds.Take(name, id), Name = name, Steps = mapped, Repeat = repeat,
                RepeatEvery = repeat > 0 && after > TimeSpan.Zero ? after : null,
            };
            result.EscalationPolicies.Add(config);
            policyMap[id] = config.Id;
        }

        var serviceIds = new IdAllocator();
        foreach (var integration in byKind["integrations"].DistinctBy(i => i.Str("id")))
        {
            var name = integration.OptStr("name") ?? integration.Str("id");
            var service = new ServiceConfig { Id = serviceIds.Take(name, integration.Str("id")), Name = name, Description = $"From Grafana OnCall integration \"{name}\" ({integration.OptStr("type")})" };
            if (integration.Opt("default_route")?.OptStr("escalation_chain_id") is { } chainId && policyMap.TryGetValue(chainId, out var policy))
            {
                service.EscalationPolicy = policy;
            }

            result.Services.Add(service);
            result.Skip("integration", $"integration \"{name}\" ({integration.OptStr("type")})",
                "imported as a service; its alert intake is not: point the sender at Vigil (POST /api/v2/alerts for Alertmanager, checks, or the events API), and review its routes (only the default route's chain is used)");
        }

        return result;
    }

    private static ScheduleLayerConfig? MapShift(JsonNode shift, string type, DateTimeOffset start, long duration, TimeZoneInfo zone, ImportResult result, string label)
    {
        if (type is not ("rolling_users" or "recurrent_event"))
        {
            result.Skip("shift", label, type == "single_event"
                ? "a single event (not recurring); add it to vigil.yaml as an override if it is still to come"
                : $"shift type `{type}` is not rolling_users, recurrent_event, single_event or override");
            return null;
        }

        var groups = type == "rolling_users"
            ? shift.Items("rolling_users").Select(g => g.AsItems().Select(u => u.AsString()).ToList()).ToList()
            : [shift.Items("users").Select(u => u.AsString()).ToList()];
        if (groups.Count == 0 || groups.Any(g => g.Count != 1))
        {
            result.Skip("shift", label, groups.Count == 0 ? "it has no users" : "a turn puts several people on call at once (or nobody); Vigil layers have one person per turn. Split them into schedules and page both from the policy");
            return null;
        }

        var members = new List<string>();
        foreach (var u in groups.Select(g => g[0]))
        {
            if (!result.PersonIds.TryGetValue(u, out var p) || members.Contains(p))
            {
                result.Skip("shift", label, members.Contains(p ?? string.Empty) ? $"{p} takes more than one turn; Vigil lists each person once per layer" : $"user {u} is not in users.json");
                return null;
            }

            members.Add(p);
        }

        if ((shift.OptLong("start_rotation_from_user_index") ?? 0) != 0)
        {
            members = [.. members.Skip((int)shift.Long("start_rotation_from_user_index") % members.Count), .. members.Take((int)shift.Long("start_rotation_from_user_index") % members.Count)];
        }

        var frequency = shift.OptStr("frequency");
        var unit = frequency switch
        {
            "hourly" => 3600L,
            "daily" => 86_400L,
            "weekly" => 604_800L,
            null => 0L,
            "monthly" => -1L,
            _ => throw shift.Req("frequency").Fail($"`{frequency}` is not a Grafana OnCall frequency", "use hourly, daily, weekly or monthly"),
        };
        if (unit <= 0)
        {
            result.Skip("shift", label, unit == 0 ? "it does not repeat (no frequency)" : "monthly shifts have no Vigil equivalent (Vigil rotations have fixed lengths)");
            return null;
        }

        if (shift.Items("by_day").Any() || shift.Items("by_month").Any() || shift.Items("by_monthday").Any())
        {
            result.Skip("shift", label, "by_day/by_month/by_monthday pick which occurrences happen, and the turn moves per occurrence; Vigil turns move per fixed length. Rebuild it as a layer with day restrictions by hand");
            return null;
        }

        if (shift.OptStr("until") is { } until)
        {
            result.Skip("shift end", label, $"it ends at {until}; Vigil layers have no end, so remove it from vigil.yaml then");
        }

        var period = unit * (shift.OptLong("interval") ?? 1);
        var layer = new ScheduleLayerConfig { Name = shift.OptStr("name") ?? shift.Str("id"), Members = members };
        if (ImportShapes.Rotation(layer, start, period, zone) is { } why)
        {
            result.Skip("shift", label, why);
            return null;
        }

        if (duration > period || duration <= 0)
        {
            result.Skip("shift", label, $"events of {duration} s every {period} s {(duration > period ? "overlap" : "are empty")}; Vigil turns follow each other");
            return null;
        }

        if (duration < period)
        {
            if (period is not (86_400L or 604_800L))
            {
                result.Skip("shift", label, $"events of {duration} s every {period} s leave gaps that are not a daily or weekly window; Vigil restrictions are daily or weekly windows");
                return null;
            }

            var local = WallClock.ToLocal(start, zone);
            var windows = ImportShapes.Window(period == 86_400L ? null : local.DayOfWeek, local.TimeOfDay, duration, out var reason);
            if (windows is null)
            {
                result.Skip("shift", label, reason!);
                return null;
            }

            layer.Restrictions = windows;
        }

        return layer;
    }

    /// <summary>A step as people find it in OnCall: its id and position in the chain (not the JSON path, which depends on the page it came on).</summary>
    private static string StepName(JsonNode step) =>
        $"{step.OptStr("id") ?? step.Path} (position {(step.Opt("position") is { Element.ValueKind: System.Text.Json.JsonValueKind.Number } p ? p.Element.GetRawText() : "?")})";
}
