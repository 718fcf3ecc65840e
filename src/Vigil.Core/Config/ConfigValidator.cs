using System.Collections;
using Vigil.Core.Slos;

namespace Vigil.Core.Config;

/// <summary>
/// Rules that look across the config after binding: unique ids in every identified list,
/// references to other sections (from <see cref="ReferenceToAttribute"/> and escalation targets),
/// dependency cycles, and each option class's own <see cref="IConfigValidatable"/> rules.
/// </summary>
internal static class ConfigValidator
{
    private const int MaxListedIds = 12;

    /// <summary>The shortest heartbeat token accepted in a config.</summary>
    public const int MinHeartbeatTokenLength = 16;

    public static void Validate(VigilConfig config, ConfigSourceInfo sources, ConfigDiagnostics diagnostics)
    {
        var context = new ConfigValidationContext(config, sources, diagnostics, CollectIds(config));
        Walk(config, ConfigTypeInfo.Get(typeof(VigilConfig)), string.Empty, context);
        CheckDependencyCycles(config, context);
        CheckHeartbeatTokens(config, context);
        CheckSloIds(config, context);
        WarnInactive(config, context);
    }

    /// <summary>
    /// Sections the loader accepts (so configs written for later versions validate) but nothing in
    /// this version reads: say so, rather than let people rely on backups that are never taken.
    /// </summary>
    private static void WarnInactive(VigilConfig config, ConfigValidationContext context)
    {
        WarnNoLinks(config, context);
        for (var i = 0; i < config.Services.Count; i++)
        {
            var service = ConfigPath.Index("services", i);
            if (config.Services[i] is null)
            {
                continue;
            }

            if (config.Services[i].Slo is not null && context.IsSet(ConfigPath.Member(service, "slo")))
            {
                var mapped = string.Join(", ", SloDefinitions.FromLegacy(config.Services[i]).Select(d => $"`{d.Id}`"));
                context.Warning(ConfigPath.Member(service, "slo"),
                    $"`slo` is deprecated: it is read as `slos` entries {mapped}; move it to `slos` (see docs/slos.md, \"Migrating from slo\")");
            }

            if (config.Services[i].Rpo is not null && context.IsSet(ConfigPath.Member(service, "rpo"))
                && !config.Services[i].Checks.Any(c => c?.Heartbeat is { Backup: true })
                && !config.Backups.Any(b => b is not null && b.Service == config.Services[i].Id))
            {
                context.Warning(ConfigPath.Member(service, "rpo"),
                    $"no heartbeat check of service `{config.Services[i].Id}` is marked `backup: true`, and no backup job (`backups[].service`) names it, so nothing reports its backups: its `rpo` is measured from when Vigil started and breaches after that long; add a backup job for it or mark the heartbeat of its backup job `backup: true`");
            }
        }
    }

    /// <summary>
    /// Pages to people over channels that show links (email, Slack, Teams, Mattermost, Telegram, ntfy) carry an
    /// acknowledge link and a console link, built on <c>public_url</c>: without it they go out without links.
    /// </summary>
    private static void WarnNoLinks(VigilConfig config, ConfigValidationContext context)
    {
        if (!string.IsNullOrWhiteSpace(config.Vigil.PublicUrl))
        {
            return;
        }

        var linking = config.Notifiers
            .Where(n => n is not null && (n.Email is not null || n.Slack is not null || n.Teams is not null || n.Mattermost is not null || n.Telegram is not null || n.Ntfy is not null))
            .Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var paged = config.People.Where(p => p is not null && p.NotifyVia.Any(linking.Contains)).Select(p => p.Id).ToList();
        if (paged.Count > 0)
        {
            context.Warning("vigil",
                $"`vigil.public_url` is not set, so pages to {string.Join(", ", paged.Take(3))}{(paged.Count > 3 ? ", …" : "")} go out without acknowledge and console links; "
                + "set it to the address people open Vigil at, like https://vigil.example.com (see docs/oncall.md, \"Acknowledge from the page\")");
        }
    }

    /// <summary>SLO ids name signals (<c>slo/&lt;id&gt;</c>) and CLI arguments, so they are unique across services (ids the deprecated <c>slo</c> maps to included).</summary>
    private static void CheckSloIds(VigilConfig config, ConfigValidationContext context)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < config.Services.Count; s++)
        {
            if (config.Services[s] is not { } service)
            {
                continue;
            }

            var servicePath = ConfigPath.Index("services", s);
            var entries = service.Slos.Select((slo, i) => (Id: slo?.Id, Path: ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(servicePath, "slos"), i), "id")))
                .Concat(service.Slo is null ? [] : SloDefinitions.FromLegacy(service).Select(d => ((string?)d.Id, ConfigPath.Member(servicePath, "slo"))));
            foreach (var (id, path) in entries)
            {
                if (id is not { Length: > 0 })
                {
                    continue;
                }

                if (first.TryGetValue(id, out var other))
                {
                    var at = context.Sources.Find(other);
                    context.Error(path, $"duplicate SLO id `{id}`: {other} at {context.Sources.ShortName(at.File)}:{at.Line} already uses it; SLO ids must be unique across services (the signal is `slo/{id}`)");
                }
                else
                {
                    first[id] = path;
                }
            }
        }
    }

    /// <summary>Heartbeat tokens are secrets in URLs: long enough not to be guessed, and one per check.</summary>
    private static void CheckHeartbeatTokens(VigilConfig config, ConfigValidationContext context)
    {
        var first = new Dictionary<string, (string Check, string Path)>(StringComparer.Ordinal);
        for (var s = 0; s < config.Services.Count; s++)
        {
            if (config.Services[s] is not { Checks: { } checks } service)
            {
                continue;
            }

            for (var c = 0; c < checks.Count; c++)
            {
                if (checks[c]?.Heartbeat?.Token is not { Length: > 0 } token)
                {
                    continue;
                }

                var check = $"{service.Id}/{checks[c]!.Id}";
                var path = ConfigPath.Member(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(ConfigPath.Index("services", s), "checks"), c), "heartbeat"), "token");
                if (token.Length < MinHeartbeatTokenLength)
                {
                    context.Error(path,
                        $"the heartbeat token of `{check}` is {token.Length} characters long; use at least {MinHeartbeatTokenLength} random characters (for example from `openssl rand -hex 16`), or remove `token` to let Vigil generate one");
                }

                if (first.TryGetValue(token, out var other))
                {
                    var at = context.Sources.Find(other.Path);
                    context.Error(path,
                        $"check `{check}` uses the same heartbeat token as check `{other.Check}` ({context.Sources.ShortName(at.File)}:{at.Line}); every heartbeat check needs its own token, or pings could not tell them apart");
                }
                else
                {
                    first[token] = (check, path);
                }
            }
        }
    }

    /// <summary>Ids of every top-level list section whose entries have an <c>id</c>.</summary>
    private static Dictionary<string, HashSet<string>> CollectIds(VigilConfig config)
    {
        var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var prop in ConfigTypeInfo.Get(typeof(VigilConfig)).Properties)
        {
            if (prop.ValueType.Kind != ValueKind.List || prop.ValueType.Element.Kind != ValueKind.Object)
            {
                continue;
            }

            var idProp = prop.ValueType.Element.Object.IdProperty;
            if (idProp is null || prop.GetValue(config) is not IEnumerable items)
            {
                continue;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (item is not null && idProp.GetValue(item) is string { Length: > 0 } id)
                {
                    set.Add(id);
                }
            }

            ids[prop.Key] = set;
        }

        return ids;
    }

    private static void Walk(object target, ConfigTypeInfo info, string path, ConfigValidationContext context)
    {
        foreach (var prop in info.Properties)
        {
            var value = prop.GetValue(target);
            if (value is null)
            {
                continue;
            }

            var childPath = ConfigPath.Member(path, prop.Key);
            switch (prop.ValueType.Kind)
            {
                case ValueKind.Object:
                    Walk(value, prop.ValueType.Object, childPath, context);
                    break;
                case ValueKind.List:
                    WalkList((IList)value, prop, childPath, context);
                    break;
                case ValueKind.Map:
                    foreach (DictionaryEntry entry in (IDictionary)value)
                    {
                        var entryPath = ConfigPath.MapKey(childPath, (string)entry.Key);
                        if (entry.Value is null)
                        {
                            continue;
                        }

                        if (prop.ValueType.Element.Kind == ValueKind.Object)
                        {
                            Walk(entry.Value, prop.ValueType.Element.Object, entryPath, context);
                        }
                        else
                        {
                            CheckScalarReference(entry.Value, prop, entryPath, context);
                        }
                    }

                    break;
                default:
                    CheckScalarReference(value, prop, childPath, context);
                    break;
            }
        }

        if (target is IConfigValidatable validatable)
        {
            validatable.Validate(context, path);
        }
    }

    private static void WalkList(IList items, ConfigPropertyInfo prop, string path, ConfigValidationContext context)
    {
        var element = prop.ValueType.Element;
        if (element.Kind == ValueKind.Object)
        {
            var elementInfo = element.Object;
            var firstById = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (item is null)
                {
                    continue;
                }

                var itemPath = ConfigPath.Index(path, i);
                if (elementInfo.IdProperty is { } idProp && idProp.GetValue(item) is string { Length: > 0 } id)
                {
                    if (firstById.TryGetValue(id, out var first))
                    {
                        var at = context.Sources.Find(ConfigPath.Member(ConfigPath.Index(path, first), "id"));
                        context.Error(ConfigPath.Member(itemPath, "id"),
                            $"duplicate id `{id}`: `{ConfigPath.Index(path, first)}` at {context.Sources.ShortName(at.File)}:{at.Line} already uses it; ids must be unique in `{prop.Key}`");
                    }
                    else
                    {
                        firstById[id] = i;
                    }
                }

                Walk(item, elementInfo, itemPath, context);
            }

            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item)
            {
                CheckScalarReference(item, prop, ConfigPath.Index(path, i), context);
            }
        }
    }

    private static void CheckScalarReference(object value, ConfigPropertyInfo prop, string path, ConfigValidationContext context)
    {
        if (value is NotifyTarget target)
        {
            if (!string.IsNullOrEmpty(target.Id))
            {
                CheckReference(target.Id, target.Section, allowWildcard: false, path, context);
            }

            return;
        }

        if (prop.Reference is { } reference && value is string { Length: > 0 } id)
        {
            CheckReference(id, reference.Section, reference.AllowWildcard, path, context);
        }
    }

    private static void CheckReference(string id, string section, bool allowWildcard, string path, ConfigValidationContext context)
    {
        if (allowWildcard && id == "*")
        {
            return;
        }

        var ids = context.Ids(section);
        if (ids.Contains(id))
        {
            return;
        }

        var what = Singular(section);
        var hint = Suggest.DidYouMean(id, ids);
        var known = ids.Count == 0
            ? $"there are no {section.Replace('_', ' ')} defined; add one under `{section}:`"
            : $"known {section.Replace('_', ' ')}: {string.Join(", ", ids.Take(MaxListedIds))}{(ids.Count > MaxListedIds ? ", ..." : string.Empty)}";
        context.Error(path, hint.Length > 0 ? $"unknown {what} `{id}`{hint}" : $"unknown {what} `{id}`; {known}");
    }

    private static string Singular(string section) => section switch
    {
        "severities" => "severity",
        "people" => "person",
        "escalation_policies" => "escalation policy",
        "maintenance" => "maintenance window",
        _ when section.EndsWith('s') => section[..^1].Replace('_', ' '),
        _ => section.Replace('_', ' '),
    };

    /// <summary>Reports each dependency cycle once, at the <c>depends_on</c> entry that closes it.</summary>
    private static void CheckDependencyCycles(VigilConfig config, ConfigValidationContext context)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < config.Services.Count; i++)
        {
            if (config.Services[i] is { Id.Length: > 0 } s)
            {
                index.TryAdd(s.Id, i);
            }
        }

        // Iterative depth-first search (a long dependency chain must not exhaust the stack).
        // state: 0 = unvisited, 1 = on the current path, 2 = done.
        var state = new int[config.Services.Count];
        var path = new List<int>();
        var frames = new Stack<(int Service, int NextEdge)>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var root = 0; root < config.Services.Count; root++)
        {
            if (state[root] != 0 || config.Services[root] is not { } rootService || !index.TryGetValue(rootService.Id, out var first) || first != root)
            {
                continue;
            }

            state[root] = 1;
            path.Add(root);
            frames.Push((root, 0));
            while (frames.Count > 0)
            {
                var (u, j) = frames.Pop();
                var deps = config.Services[u].DependsOn;
                if (j >= deps.Count)
                {
                    state[u] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                frames.Push((u, j + 1));
                if (deps[j] is not { } dep || dep == config.Services[u].Id || !index.TryGetValue(dep, out var v))
                {
                    continue;
                }

                if (state[v] == 1)
                {
                    var cycle = path.Skip(path.IndexOf(v)).Select(k => config.Services[k].Id).ToList();
                    var key = string.Join(",", cycle.Order(StringComparer.Ordinal));
                    if (reported.Add(key))
                    {
                        var shown = cycle.Count <= 10 ? cycle : [.. cycle.Take(5), $"... ({cycle.Count - 8} more)", .. cycle.TakeLast(3)];
                        var chain = string.Join(" → ", shown.Append(dep));
                        context.Error(ConfigPath.Index(ConfigPath.Member(ConfigPath.Index("services", u), "depends_on"), j),
                            $"dependency cycle: {chain}; services must not depend on each other in a loop, remove one of these `depends_on` entries");
                    }
                }
                else if (state[v] == 0)
                {
                    state[v] = 1;
                    path.Add(v);
                    frames.Push((v, 0));
                }
            }
        }
    }
}
