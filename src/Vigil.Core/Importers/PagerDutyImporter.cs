using Vigil.Core.Config;
using Vigil.Core.OnCall;

namespace Vigil.Core.Importers;

/// <summary>
/// Maps PagerDuty REST API v2 objects (as <c>GET /users</c>, <c>/schedules/{id}</c>,
/// <c>/schedules/{id}/overrides</c>, <c>/escalation_policies</c> and <c>/services</c> return them) onto
/// Vigil config. A pure function of parsed JSON: <see cref="Map"/>.
/// <para>Documents are recognised by their top-level key: <c>users</c>, <c>schedules</c> (a list),
/// <c>schedule</c> (one, from <c>GET /schedules/{id}</c>), <c>escalation_policies</c>, <c>services</c>
/// and <c>overrides</c> (from <c>GET /schedules/{id}/overrides</c>; the schedule id is the file name's
/// last part, like <c>overrides-PABC123.json</c>).</para>
/// <para>Semantics: a layer's turns start at <c>rotation_virtual_start</c> and last
/// <c>rotation_turn_length_seconds</c>; handoffs keep their local time in the schedule's zone across DST.
/// Restrictions are <c>daily_restriction</c> (every day from <c>start_time_of_day</c>) or
/// <c>weekly_restriction</c> (from <c>start_day_of_week</c>, ISO 1 = Monday), each lasting
/// <c>duration_seconds</c>; outside them the layer has nobody and the rotation keeps counting.
/// Layers with a higher <c>rendering_index</c> win (without it, the API's order: first is highest);
/// overrides win over every layer.</para>
/// </summary>
public static class PagerDutyImporter
{
    public static ImportResult Map(IReadOnlyList<ImportDocument> documents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var result = new ImportResult { Vendor = ImportVendor.PagerDuty };
        var users = new List<JsonNode>();
        var schedules = new List<JsonNode>();
        var policies = new List<JsonNode>();
        var services = new List<JsonNode>();
        var overrides = new Dictionary<string, List<JsonNode>>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            var root = JsonNode.Root(doc);
            var known = false;
            if (root.Opt("users") is { } u) { users.AddRange(u.AsItems()); known = true; }
            if (root.Opt("schedules") is { } s) { schedules.AddRange(s.AsItems()); known = true; }
            if (root.Opt("schedule") is { } one) { schedules.Add(one); known = true; }
            if (root.Opt("escalation_policies") is { } e) { policies.AddRange(e.AsItems()); known = true; }
            if (root.Opt("services") is { } sv) { services.AddRange(sv.AsItems()); known = true; }
            if (root.Opt("overrides") is { } o)
            {
                var name = Path.GetFileNameWithoutExtension(doc.File);
                var scheduleId = name[(name.LastIndexOfAny(['-', '_', '.']) + 1)..];
                (overrides.TryGetValue(scheduleId, out var list) ? list : overrides[scheduleId] = []).AddRange(o.AsItems());
                known = true;
            }

            if (!known)
            {
                throw root.Fail("no PagerDuty list in this file (expected a top-level `users`, `schedules`, `schedule`, `escalation_policies`, `services` or `overrides`)",
                    "save the JSON body of GET /users, /schedules/{id}, /schedules/{id}/overrides, /escalation_policies or /services as it is");
            }
        }

        var personIds = new IdAllocator();
        foreach (var user in users.DistinctBy(u => u.Str("id")))
        {
            var id = user.Str("id");
            var email = user.OptStr("email");
            var name = user.OptStr("name") ?? email ?? id;
            var person = new PersonConfig { Id = personIds.Take(email?.Split('@')[0] ?? name, id), Name = name, Email = email };
            if (user.OptStr("time_zone") is { } tz)
            {
                ImportShapes.Zone(user.Req("time_zone"), tz);
                person.Timezone = tz;
            }

            foreach (var method in user.Items("contact_methods"))
            {
                var type = method.OptStr("type") ?? string.Empty;
                if (type is "phone_contact_method" or "sms_contact_method" && person.Phone is null && method.OptStr("address") is { } address)
                {
                    person.Phone = "+" + (method.OptLong("country_code") ?? 1) + address;
                }
            }

            result.People.Add(person);
            result.PersonIds[id] = person.Id;
        }

        var scheduleIds = new IdAllocator();
        foreach (var schedule in schedules.DistinctBy(s => s.Str("id")))
        {
            var id = schedule.Str("id");
            var name = schedule.OptStr("name") ?? id;
            var label = $"schedule \"{name}\" ({id})";
            if (!schedule.Has("schedule_layers"))
            {
                result.Skip("schedule", label, "the file has no `schedule_layers` (GET /schedules lists schedules without them); save GET /schedules/" + id + " for each schedule");
                continue;
            }

            var tzNode = schedule.Req("time_zone");
            var zone = ImportShapes.Zone(tzNode, tzNode.AsString());
            var config = new ScheduleConfig { Id = scheduleIds.Take(name, id), Name = name, Timezone = tzNode.AsString() };
            var layers = schedule.Items("schedule_layers").ToList();
            // Vigil: the LAST layer wins. PagerDuty: the highest rendering_index, else the first listed.
            var ordered = layers.All(l => l.Has("rendering_index"))
                ? layers.OrderBy(l => l.Long("rendering_index")).ToList()
                : Enumerable.Reverse(layers).ToList();
            var mapped = new List<ScheduleLayerConfig>();
            foreach (var layer in ordered)
            {
                if (MapLayer(layer, zone, now, result, label) is { } l)
                {
                    mapped.Add(l);
                }
            }

            if (mapped.Count == 0)
            {
                result.Skip("schedule", label, "none of its layers could be mapped (see the entries above); a Vigil schedule needs at least one layer");
                continue;
            }

            config.Layers = mapped;
            var configOverrides = new List<ScheduleOverrideConfig>();
            var fromFile = overrides.TryGetValue(id, out var listed) ? listed : [];
            var rendered = schedule.Opt("overrides_subschedule")?.Items("rendered_schedule_entries") ?? [];
            foreach (var o in fromFile.Count > 0 ? fromFile : rendered)
            {
                var userId = o.Req("user").Str("id");
                var end = o.Time("end");
                if (end <= now)
                {
                    continue;
                }

                if (!result.PersonIds.TryGetValue(userId, out var person))
                {
                    result.Skip("override", $"{label} override {o.OptStr("id") ?? o.Path}", $"user {userId} is not in the users file; add GET /users to the import");
                    continue;
                }

                configOverrides.Add(new ScheduleOverrideConfig
                {
                    Person = person,
                    Start = o.Time("start"),
                    End = end,
                    Reason = o.OptStr("id") is { } oid ? $"PagerDuty override {oid}" : "PagerDuty override",
                });
            }

            config.Overrides = configOverrides;
            result.Schedules.Add(config);
            result.ScheduleIds[id] = config.Id;
        }

        var policyIds = new IdAllocator();
        var policyMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var policy in policies.DistinctBy(p => p.Str("id")))
        {
            var id = policy.Str("id");
            var name = policy.OptStr("name") ?? id;
            var label = $"escalation policy \"{name}\" ({id})";
            var steps = new List<EscalationStepConfig>();
            var after = TimeSpan.Zero;
            foreach (var rule in policy.Items("escalation_rules"))
            {
                var targets = new List<NotifyTarget>();
                foreach (var target in rule.Items("targets"))
                {
                    var type = target.Str("type");
                    var targetId = target.Str("id");
                    if (type is "user_reference" or "user" && result.PersonIds.TryGetValue(targetId, out var person))
                    {
                        targets.Add(new NotifyTarget(NotifyTargetKind.Person, person));
                    }
                    else if (type is "schedule_reference" or "schedule" && result.ScheduleIds.TryGetValue(targetId, out var sched))
                    {
                        targets.Add(new NotifyTarget(NotifyTargetKind.Schedule, sched));
                    }
                    else
                    {
                        result.Skip("escalation target", $"{label} rule {rule.Path}", type is "user_reference" or "user" or "schedule_reference" or "schedule"
                            ? $"{type} {targetId} was not imported (not in the files, or not mappable: see above)"
                            : $"target type `{type}` has no Vigil equivalent; Vigil pages people, schedules and notifiers");
                    }
                }

                if (targets.Count > 0)
                {
                    steps.Add(new EscalationStepConfig { After = after, Notify = targets });
                }

                after += TimeSpan.FromMinutes(rule.OptLong("escalation_delay_in_minutes") ?? 0);
            }

            if (steps.Count == 0)
            {
                result.Skip("escalation policy", label, "no rule has a target Vigil could map");
                continue;
            }

            var loops = (int)Math.Min(policy.OptLong("num_loops") ?? 0, int.MaxValue);
            if (loops > 10)
            {
                result.Skip("escalation repeat", label, $"num_loops {loops} is more than Vigil's limit of 10 repeats; imported as 10");
                loops = 10;
            }

            var config = new EscalationPolicyConfig
            {
                Id = policyIds.Take(name, id),
                Name = name,
                Steps = steps,
                Repeat = loops,
                RepeatEvery = loops > 0 && after > TimeSpan.Zero ? after : null,
            };
            result.EscalationPolicies.Add(config);
            policyMap[id] = config.Id;
        }

        var serviceIds = new IdAllocator();
        foreach (var service in services.DistinctBy(s => s.Str("id")))
        {
            var id = service.Str("id");
            var name = service.OptStr("name") ?? id;
            var config = new ServiceConfig { Id = serviceIds.Take(name, id), Name = name, Description = service.OptStr("description") };
            if (service.Opt("escalation_policy") is { } ep && ep.OptStr("id") is { } epId)
            {
                if (policyMap.TryGetValue(epId, out var policy))
                {
                    config.EscalationPolicy = policy;
                }
                else
                {
                    result.Skip("service escalation policy", $"service \"{name}\" ({id})", $"escalation policy {epId} was not imported; the service uses its severity's policy");
                }
            }

            foreach (var integration in service.Items("integrations"))
            {
                result.Skip("integration", $"service \"{name}\" ({id}) integration {integration.OptStr("summary") ?? integration.OptStr("name") ?? integration.OptStr("id")} ({integration.OptStr("type")})",
                    "Vigil receives alerts through its own intake; point the sender at Vigil (POST /api/v2/alerts for Alertmanager, checks, or the events API), see docs/migrating.md");
            }

            result.Services.Add(config);
        }

        return result;
    }

    private static ScheduleLayerConfig? MapLayer(JsonNode layer, TimeZoneInfo zone, DateTimeOffset now, ImportResult result, string schedule)
    {
        var name = layer.OptStr("name") ?? layer.OptStr("id") ?? "layer";
        var label = $"{schedule} layer \"{name}\"";
        var end = layer.OptTime("end");
        if (end is { } e && e <= now)
        {
            result.Skip("layer", label, $"it ended at {e:O}; nothing to import");
            return null;
        }

        var members = new List<string>();
        foreach (var entry in layer.Items("users"))
        {
            var userId = entry.Req("user").Str("id");
            if (result.PersonIds.TryGetValue(userId, out var person))
            {
                if (!members.Contains(person))
                {
                    members.Add(person);
                }
                else
                {
                    result.Skip("layer member", label, $"user {userId} is listed twice; Vigil lists each person once per layer, so the rotation differs");
                }
            }
            else
            {
                result.Skip("layer", label, $"user {userId} is not in the users file; add the JSON of GET /users");
                return null;
            }
        }

        if (members.Count == 0)
        {
            result.Skip("layer", label, "it has no users");
            return null;
        }

        var config = new ScheduleLayerConfig { Name = name, Members = members };
        var reason = ImportShapes.Rotation(config, layer.Time("rotation_virtual_start"), layer.Long("rotation_turn_length_seconds"), zone);
        if (reason is not null)
        {
            result.Skip("layer", label, reason);
            return null;
        }

        var restrictions = new List<LayerRestrictionConfig>();
        var unrestricted = false;
        foreach (var r in layer.Items("restrictions"))
        {
            var type = r.Str("type");
            var startNode = r.Req("start_time_of_day");
            if (!TimeSpan.TryParseExact(startNode.AsString(), ["hh\\:mm\\:ss", "hh\\:mm"], System.Globalization.CultureInfo.InvariantCulture, out var start))
            {
                throw startNode.Fail($"`{startNode.AsString()}` is not a time of day", "write HH:mm:ss like 09:00:00");
            }

            DayOfWeek? day = null;
            if (type == "weekly_restriction")
            {
                var iso = r.Long("start_day_of_week");
                if (iso is < 1 or > 7)
                {
                    throw r.Req("start_day_of_week").Fail($"{iso} is not an ISO weekday", "use 1 (Monday) to 7 (Sunday)");
                }

                day = (DayOfWeek)(iso % 7);
            }
            else if (type != "daily_restriction")
            {
                result.Skip("layer", label, $"restriction type `{type}` is not daily_restriction or weekly_restriction");
                return null;
            }

            var windows = ImportShapes.Window(day, start, r.Long("duration_seconds"), out var why);
            if (windows is null)
            {
                result.Skip("layer", label, why!);
                return null;
            }

            unrestricted |= windows.Count == 0;
            restrictions.AddRange(windows);
        }

        config.Restrictions = unrestricted ? [] : restrictions;
        var start0 = layer.OptTime("start");
        if (start0 is { } s && s > now)
        {
            result.Skip("layer start", label, $"it starts at {s:O}; Vigil layers have no start instant, so Vigil puts it on call from now (add it to vigil.yaml at that time, or accept the difference)");
        }

        if (end is { } until)
        {
            result.Skip("layer end", label, $"it ends at {until:O}; Vigil layers have no end, so remove it from vigil.yaml then");
        }

        return config;
    }
}
