using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.OnCall;

namespace Vigil.Core.Importers;

/// <summary>
/// Maps Opsgenie REST API objects (<c>GET /v2/users</c>, <c>/v2/schedules?expand=rotation</c>,
/// <c>/v2/schedules/{id}/overrides</c>, <c>/v2/escalations</c>, <c>/v1/services</c>, <c>/v2/integrations</c>)
/// onto Vigil config. Every Opsgenie answer wraps its payload in <c>data</c>, so files are recognised
/// by name, after the endpoint: <c>users*.json</c>, <c>schedules*.json</c>, <c>overrides-{scheduleId}.json</c>,
/// <c>escalations*.json</c>, <c>services*.json</c>, <c>integrations*.json</c>.
/// <para>Semantics: a rotation's turns start at <c>startDate</c> and last <c>length</c> hours, days or
/// weeks (<c>type</c> hourly, daily, weekly), keeping their local time in the schedule's zone; it is
/// active from <c>startDate</c> until <c>endDate</c>. A <c>timeRestriction</c> is
/// <c>time-of-day</c> (every day, start to end, past midnight when end is not after start) or
/// <c>weekday-and-time-of-day</c> (each entry a span from startDay/time to endDay/time), local
/// wall-clock times. Everyone whose rotation is active is on call; an override replaces them all
/// (or, with <c>rotations</c>, only those rotations' participant). Escalation rule delays count
/// from the alert's creation.</para>
/// </summary>
public static class OpsgenieImporter
{
    private static readonly string[] _kinds = ["users", "schedules", "overrides", "escalations", "services", "integrations"];

    public static ImportResult Map(IReadOnlyList<ImportDocument> documents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var result = new ImportResult { Vendor = ImportVendor.Opsgenie };
        var byKind = _kinds.ToDictionary(k => k, _ => new List<JsonNode>(), StringComparer.Ordinal);
        var overrides = new Dictionary<string, List<JsonNode>>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            var name = Path.GetFileNameWithoutExtension(doc.File).ToLowerInvariant();
            var kind = _kinds.FirstOrDefault(k => name.StartsWith(k, StringComparison.Ordinal));
            var root = JsonNode.Root(doc);
            if (kind is null)
            {
                throw root.Fail($"`{Path.GetFileName(doc.File)}` is not named after an Opsgenie endpoint (Opsgenie wraps every answer in `data`, so the name says what it holds)",
                    "name it users.json, schedules.json, overrides-<scheduleId>.json, escalations.json, services.json or integrations.json (a suffix like users-2.json is fine)");
            }

            var data = root.Req("data");
            var items = data.Element.ValueKind == System.Text.Json.JsonValueKind.Array ? data.AsItems() : [data];
            if (kind == "overrides")
            {
                var original = Path.GetFileNameWithoutExtension(doc.File);
                var scheduleId = original["overrides-".Length..];
                (overrides.TryGetValue(scheduleId, out var list) ? list : overrides[scheduleId] = []).AddRange(items);
            }
            else
            {
                byKind[kind].AddRange(items);
            }
        }

        var personIds = new IdAllocator();
        var usernames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in byKind["users"].DistinctBy(u => u.Str("id")))
        {
            var id = user.Str("id");
            var username = user.Str("username");
            var person = new PersonConfig { Id = personIds.Take(username.Split('@')[0], id), Name = user.OptStr("fullName") ?? username, Email = username.Contains('@', StringComparison.Ordinal) ? username : null };
            if (user.OptStr("timeZone") is { } tz)
            {
                ImportShapes.Zone(user.Req("timeZone"), tz);
                person.Timezone = tz;
            }

            result.People.Add(person);
            result.PersonIds[id] = person.Id;
            usernames[username] = person.Id;
        }

        string? Person(JsonNode participant) =>
            participant.OptStr("id") is { } pid && result.PersonIds.TryGetValue(pid, out var p) ? p
            : participant.OptStr("username") is { } un && usernames.TryGetValue(un, out p) ? p
            : null;

        var scheduleIds = new IdAllocator();
        foreach (var schedule in byKind["schedules"].DistinctBy(s => s.Str("id")))
        {
            var id = schedule.Str("id");
            var name = schedule.OptStr("name") ?? id;
            var label = $"schedule \"{name}\" ({id})";
            if (schedule.OptBool("enabled") == false)
            {
                result.Skip("schedule", label, "it is disabled in Opsgenie");
                continue;
            }

            if (!schedule.Has("rotations"))
            {
                result.Skip("schedule", label, "the file has no `rotations`; save GET /v2/schedules?expand=rotation");
                continue;
            }

            var tzNode = schedule.Req("timezone");
            var zone = ImportShapes.Zone(tzNode, tzNode.AsString());
            var layers = new List<ScheduleLayerConfig>();
            foreach (var rotation in schedule.Items("rotations"))
            {
                if (MapRotation(rotation, zone, now, result, label, Person) is { } layer)
                {
                    layers.Add(layer);
                }
            }

            if (layers.Count == 0)
            {
                result.Skip("schedule", label, "none of its rotations could be mapped (see the entries above); a Vigil schedule needs at least one layer");
                continue;
            }

            var config = new ScheduleConfig { Id = scheduleIds.Take(name, id), Name = name, Timezone = tzNode.AsString(), Layers = layers };
            ReportOverlaps(config, now, result, label);
            var configOverrides = new List<ScheduleOverrideConfig>();
            foreach (var o in overrides.TryGetValue(id, out var list) ? list : [])
            {
                var alias = o.OptStr("alias") ?? o.Path;
                var end = o.Time("endDate");
                if (end <= now)
                {
                    continue;
                }

                if (o.Items("rotations").Any())
                {
                    result.Skip("override", $"{label} override {alias}", "it applies to some rotations only; Vigil overrides replace whoever is on call for the whole schedule. Add it by hand if that is what you want");
                    continue;
                }

                if (Person(o.Req("user")) is not { } person)
                {
                    result.Skip("override", $"{label} override {alias}", "its user is not in users.json (or is not a user); add GET /v2/users to the import");
                    continue;
                }

                configOverrides.Add(new ScheduleOverrideConfig { Person = person, Start = o.Time("startDate"), End = end, Reason = $"Opsgenie override {alias}" });
            }

            config.Overrides = configOverrides;
            result.Schedules.Add(config);
            result.ScheduleIds[id] = config.Id;
        }

        var policyIds = new IdAllocator();
        foreach (var escalation in byKind["escalations"].DistinctBy(e => e.Str("id")))
        {
            var id = escalation.Str("id");
            var name = escalation.OptStr("name") ?? id;
            var label = $"escalation \"{name}\" ({id})";
            var steps = new List<EscalationStepConfig>();
            foreach (var rule in escalation.Items("rules"))
            {
                var delay = rule.Opt("delay") is { } d ? d.Long("timeAmount") : 0;
                var unit = rule.Opt("delay")?.OptStr("timeUnit") ?? "minutes";
                var after = unit switch
                {
                    "minutes" => TimeSpan.FromMinutes(delay),
                    "hours" => TimeSpan.FromHours(delay),
                    "days" => TimeSpan.FromDays(delay),
                    _ => throw rule.Req("delay").Req("timeUnit").Fail($"`{unit}` is not a time unit", "use minutes, hours or days"),
                };
                var recipient = rule.Req("recipient");
                var type = recipient.Str("type");
                var notifyType = rule.OptStr("notifyType") ?? "default";
                NotifyTarget? target = null;
                if (notifyType != "default")
                {
                    result.Skip("escalation rule", $"{label} rule {RuleNumber(rule)}", $"notifyType `{notifyType}` (next/previous/all/admins of a schedule or team) has no Vigil equivalent; Vigil pages whoever is on call");
                }
                else if (type == "user" && Person(recipient) is { } p)
                {
                    target = new NotifyTarget(NotifyTargetKind.Person, p);
                }
                else if (type == "schedule" && recipient.OptStr("id") is { } sid && result.ScheduleIds.TryGetValue(sid, out var s))
                {
                    target = new NotifyTarget(NotifyTargetKind.Schedule, s);
                }
                else
                {
                    result.Skip("escalation rule", $"{label} rule {RuleNumber(rule)}", type is "user" or "schedule"
                        ? $"{type} {recipient.OptStr("name") ?? recipient.OptStr("username") ?? recipient.OptStr("id")} was not imported (not in the files, or not mappable: see above)"
                        : $"recipient type `{type}` has no Vigil equivalent; page a schedule or person instead");
                }

                if (target is { } t)
                {
                    if (rule.OptStr("condition") == "if-not-closed")
                    {
                        result.Skip("escalation condition", $"{label} rule {RuleNumber(rule)}", "`if-not-closed` keeps escalating after an acknowledgement; Vigil stops escalating when someone acknowledges");
                    }

                    steps.Add(new EscalationStepConfig { After = after, Notify = [t] });
                }
            }

            if (steps.Count == 0)
            {
                result.Skip("escalation", label, "no rule has a recipient Vigil could map");
                continue;
            }

            steps = steps.OrderBy(s => s.After).ToList();
            var merged = new List<EscalationStepConfig>();
            foreach (var step in steps)
            {
                if (merged.Count > 0 && merged[^1].After == step.After)
                {
                    merged[^1] = new EscalationStepConfig { After = step.After, Notify = [.. merged[^1].Notify, .. step.Notify.Where(n => !merged[^1].Notify.Contains(n))] };
                }
                else
                {
                    merged.Add(step);
                }
            }

            var repeat = escalation.Opt("repeat");
            var count = (int)Math.Min(repeat?.OptLong("count") ?? 0, int.MaxValue);
            if (count > 10)
            {
                result.Skip("escalation repeat", label, $"repeat count {count} is more than Vigil's limit of 10; imported as 10");
                count = 10;
            }

            var wait = TimeSpan.FromMinutes(repeat?.OptLong("waitInterval") ?? 0);
            result.EscalationPolicies.Add(new EscalationPolicyConfig
            {
                Id = policyIds.Take(name, id),
                Name = name,
                Steps = merged,
                Repeat = count,
                RepeatEvery = count > 0 && merged[^1].After + wait > TimeSpan.Zero ? merged[^1].After + wait : null,
            });
        }

        var serviceIds = new IdAllocator();
        foreach (var service in byKind["services"].DistinctBy(s => s.Str("id")))
        {
            var name = service.OptStr("name") ?? service.Str("id");
            result.Services.Add(new ServiceConfig { Id = serviceIds.Take(name, service.Str("id")), Name = name, Description = service.OptStr("description") });
        }

        foreach (var integration in byKind["integrations"])
        {
            result.Skip("integration", $"integration \"{integration.OptStr("name")}\" ({integration.OptStr("type")})",
                "Vigil receives alerts through its own intake; point the sender at Vigil (POST /api/v2/alerts for Alertmanager, checks, or the events API), see docs/migrating.md. Opsgenie routes alerts to escalations per team and integration; set each Vigil service's escalation_policy");
        }

        return result;
    }

    private static ScheduleLayerConfig? MapRotation(JsonNode rotation, TimeZoneInfo zone, DateTimeOffset now, ImportResult result, string schedule, Func<JsonNode, string?> person)
    {
        var name = rotation.OptStr("name") ?? rotation.OptStr("id") ?? "rotation";
        var label = $"{schedule} rotation \"{name}\"";
        var end = rotation.OptTime("endDate");
        if (end is { } e && e <= now)
        {
            result.Skip("rotation", label, $"it ended at {e:O}; nothing to import");
            return null;
        }

        var type0 = rotation.Str("type");
        var length = rotation.OptLong("length") ?? 1;
        var unit = type0 switch
        {
            "hourly" => 3600L,
            "daily" => 86_400L,
            "weekly" => 604_800L,
            _ => throw rotation.Req("type").Fail($"`{type0}` is not an Opsgenie rotation type", "use hourly, daily or weekly"),
        };
        if (length < 1)
        {
            throw rotation.Req("length").Fail($"a rotation length of {length}", "use 1 or more");
        }

        var members = new List<string>();
        foreach (var participant in rotation.Items("participants"))
        {
            var type = participant.OptStr("type") ?? "user";
            if (type != "user")
            {
                result.Skip("rotation", label, type == "none"
                    ? "it has a `none` participant (a turn with nobody on call); Vigil rotations have only people. Model the gap with a restriction, or a person who is not paged"
                    : $"participant type `{type}` (a team or escalation) has no Vigil equivalent in a rotation");
                return null;
            }

            if (person(participant) is not { } p)
            {
                result.Skip("rotation", label, $"participant {participant.OptStr("username") ?? participant.OptStr("id")} is not in users.json; add GET /v2/users");
                return null;
            }

            if (members.Contains(p))
            {
                result.Skip("rotation", label, $"{p} takes more than one turn; Vigil lists each person once per layer");
                return null;
            }

            members.Add(p);
        }

        if (members.Count == 0)
        {
            result.Skip("rotation", label, "it has no participants");
            return null;
        }

        var layer = new ScheduleLayerConfig { Name = name, Members = members };
        var start = rotation.Time("startDate");
        if (ImportShapes.Rotation(layer, start, length * unit, zone) is { } why)
        {
            result.Skip("rotation", label, why);
            return null;
        }

        if (rotation.Opt("timeRestriction") is { } tr)
        {
            var restrictions = new List<LayerRestrictionConfig>();
            var rtype = tr.Str("type");
            var spans = rtype switch
            {
                "time-of-day" => [(tr.Req("restriction"), false)],
                "weekday-and-time-of-day" => tr.Items("restrictions").Select(r => (r, true)).ToList(),
                _ => throw tr.Req("type").Fail($"`{rtype}` is not an Opsgenie time restriction type", "use time-of-day or weekday-and-time-of-day"),
            };
            var whole = false;
            foreach (var (r, weekly) in spans)
            {
                var from = Clock(r, "startHour", "startMin");
                var to = Clock(r, "endHour", "endMin");
                List<LayerRestrictionConfig>? windows;
                if (!weekly)
                {
                    windows = [new LayerRestrictionConfig { From = TimeOnly.FromTimeSpan(from), To = TimeOnly.FromTimeSpan(to) }];
                }
                else
                {
                    var startDay = Day(r.Req("startDay"));
                    var endDay = Day(r.Req("endDay"));
                    var seconds = (long)(((int)endDay - (int)startDay) * 86_400 + (to - from).TotalSeconds);
                    if (seconds <= 0)
                    {
                        seconds += 7 * 86_400;
                    }

                    windows = ImportShapes.Window(startDay, from, seconds, out var reason);
                    if (windows is null)
                    {
                        result.Skip("rotation", label, reason!);
                        return null;
                    }
                }

                whole |= windows.Count == 0;
                restrictions.AddRange(windows);
            }

            layer.Restrictions = whole ? [] : restrictions;
        }

        if (start > now)
        {
            result.Skip("rotation start", label, $"it starts at {start:O}; Vigil layers have no start instant, so Vigil puts it on call from now (add it to vigil.yaml at that time, or accept the difference)");
        }

        if (end is { } until)
        {
            result.Skip("rotation end", label, $"it ends at {until:O}; Vigil layers have no end, so remove it from vigil.yaml then");
        }

        return layer;
    }

    /// <summary>Opsgenie pages everyone whose rotation is active; Vigil pages one person per schedule. Says where that differs over the next eight weeks.</summary>
    private static void ReportOverlaps(ScheduleConfig schedule, DateTimeOffset now, ImportResult result, string label)
    {
        if (schedule.Layers.Count < 2)
        {
            return;
        }

        var single = schedule.Layers.Select(l => new ScheduleConfig { Id = schedule.Id, Timezone = schedule.Timezone, Layers = [l] }).ToList();
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset);
        for (var t = from; t < from.AddDays(56); t = t.AddHours(1))
        {
            var onCall = single.Select((s, i) => (i, ScheduleResolver.OnCallAt(s, [], t).PersonId)).Where(x => x.PersonId is not null).ToList();
            if (onCall.Count > 1)
            {
                result.Skip("overlapping rotations", label,
                    $"rotations {string.Join(" and ", onCall.Select(x => $"\"{schedule.Layers[x.i].Name}\""))} are both active at {t:O} (and maybe more): Opsgenie notifies everyone on call, Vigil pages one person per schedule (the rotation listed last). Split them into separate schedules and page both from the escalation policy if you need that");
                return;
            }
        }
    }

    private static TimeSpan Clock(JsonNode r, string hour, string minute)
    {
        var h = r.Long(hour);
        var m = r.OptLong(minute) ?? 0;
        if (h is < 0 or > 24 || m is < 0 or > 59 || h == 24 && m != 0)
        {
            throw r.Req(hour).Fail($"{h:00}:{m:00} is not a time of day", "use hours 0-23 (or 24 for the end of the day) and minutes 0-59");
        }

        return h == 24 ? TimeSpan.Zero : new TimeSpan((int)h, (int)m, 0);
    }

    private static DayOfWeek Day(JsonNode node)
    {
        var s = node.AsString();
        return Enum.TryParse<DayOfWeek>(s, ignoreCase: true, out var d) && !int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? d
            : throw node.Fail($"`{s}` is not a weekday", "use monday … sunday");
    }

    /// <summary>A rule as people find it in Opsgenie: its 1-based place in the escalation (stable whatever page the escalation came on).</summary>
    private static string RuleNumber(JsonNode rule)
    {
        var open = rule.Path.LastIndexOf('[');
        return open >= 0 && int.TryParse(rule.Path[(open + 1)..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? $"#{i + 1}" : rule.Path;
    }
}
