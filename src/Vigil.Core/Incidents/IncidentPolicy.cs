using Vigil.Core.Config;

namespace Vigil.Core.Incidents;

/// <summary>One severity level as the incident engine uses it.</summary>
/// <param name="Rank">0 for the most severe level.</param>
/// <param name="Checklist">Items instantiated on each incident of this level.</param>
public sealed record SeverityLevel(string Id, string Name, int Rank, TimeSpan? AckWithin, bool Page, bool RequirePir, IReadOnlyList<string> Checklist);

/// <summary>
/// The parts of the config the incident engine decides with, prepared once per config version:
/// severities by id, grouping, reopen window, auto-resolve, dependencies and label routing.
/// </summary>
public sealed class IncidentPolicy
{
    private readonly Dictionary<string, SeverityLevel> _levels;
    private readonly Dictionary<string, IReadOnlySet<string>> _dependencies;
    private readonly HashSet<string> _services;
    private readonly AutoResolveConfig _autoResolve;

    private IncidentPolicy(VigilConfig config, IReadOnlyList<SeverityLevel> levels, string pirTemplate, IReadOnlyList<string> problems)
    {
        Config = config;
        Levels = levels;
        _levels = levels.ToDictionary(l => l.Id, StringComparer.Ordinal);
        _services = config.Services.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        _dependencies = config.Services.ToDictionary(s => s.Id, s => (IReadOnlySet<string>)Closure(config, s.Id), StringComparer.Ordinal);
        _autoResolve = config.Incidents.AutoResolve;
        ReopenWithin = config.Incidents.ReopenWithin;
        GroupBy = config.Incidents.GroupBy;
        PirTemplate = pirTemplate;
        Problems = problems;
    }

    public VigilConfig Config { get; }

    /// <summary>Severity levels, most severe first.</summary>
    public IReadOnlyList<SeverityLevel> Levels { get; }

    public TimeSpan ReopenWithin { get; }

    public IReadOnlyList<string> GroupBy { get; }

    /// <summary>The PIR template text (the built-in one unless the config names a file).</summary>
    public string PirTemplate { get; }

    /// <summary>Files named by the config that could not be read (checklists, PIR template); the defaults stand in.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The least severe level: what unknown or missing severities become.</summary>
    public SeverityLevel Lowest => Levels[^1];

    /// <summary>
    /// Builds the policy. <paramref name="readFile"/> reads a config-relative file's text, or throws
    /// an <see cref="IOException"/> the policy reports in <see cref="Problems"/>.
    /// </summary>
    public static IncidentPolicy FromConfig(VigilConfig config, Func<string, string> readFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(readFile);
        var problems = new List<string>();
        var levels = new List<SeverityLevel>();
        for (var i = 0; i < config.Severities.Count; i++)
        {
            var s = config.Severities[i];
            IReadOnlyList<string> items = [];
            if (s.Checklist is { Length: > 0 } file)
            {
                var text = TryRead(readFile, config.ResolvePath(file), $"checklist of severity {s.Id}", problems);
                items = text is null ? [] : Checklists.Parse(text);
            }

            levels.Add(new SeverityLevel(s.Id, s.Name, i, s.AckWithin, s.Page, s.RequirePir, items));
        }

        var template = config.Incidents.PirTemplate is { Length: > 0 } t
            ? TryRead(readFile, config.ResolvePath(t), "incidents.pir_template", problems) ?? PirRenderer.DefaultTemplate
            : PirRenderer.DefaultTemplate;
        return new IncidentPolicy(config, levels, template, problems);
    }

    /// <summary>The level with this id; an id no longer configured counts as the least severe.</summary>
    public SeverityLevel Level(string id) => _levels.TryGetValue(id, out var l) ? l : Lowest;

    public bool IsService(string? id) => id is not null && _services.Contains(id);

    /// <summary>The message for an id that is not a configured service, listing the services there are.</summary>
    public string NotAService(string id) => $"'{id}' is not a configured service; services: {string.Join(", ", Config.Services.Select(s => s.Id))}.";

    /// <summary>Whether incidents first opened by this source resolve themselves when all their signals have.</summary>
    public bool AutoResolves(SignalSource source) => source switch
    {
        SignalSource.Check or SignalSource.Runbook or SignalSource.Slo or SignalSource.Backup => _autoResolve.Checks,
        SignalSource.Alertmanager => _autoResolve.Alertmanager,
        _ => _autoResolve.Events,
    };

    /// <summary>Every service this one depends on, directly or through others.</summary>
    public IReadOnlySet<string> DependenciesOf(string? service) =>
        service is not null && _dependencies.TryGetValue(service, out var d) ? d : EmptySet;

    /// <summary>
    /// Maps a signal's labels to a severity id and a service per a route: <c>map</c>, then an exact
    /// severity id, then the conventional names critical/error/warning/info by rank, then the default.
    /// </summary>
    public (string Severity, string? Service) Route(SignalRouteConfig route, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(labels);
        var service = labels.TryGetValue(route.ServiceLabel, out var sv) && IsService(sv) ? sv : null;
        string? severity = null;
        if (labels.TryGetValue(route.SeverityLabel, out var value))
        {
            if (route.Map.TryGetValue(value, out var mapped))
            {
                severity = mapped;
            }
            else if (_levels.ContainsKey(value))
            {
                severity = value;
            }
            else if (ConventionalRank(value) is { } rank)
            {
                severity = Levels[Math.Min(rank, Levels.Count - 1)].Id;
            }
        }

        return (severity ?? route.DefaultSeverity ?? Lowest.Id, service);
    }

    private static int? ConventionalRank(string value) => value.ToLowerInvariant() switch
    {
        "critical" or "page" => 0,
        "error" or "high" => 1,
        "warning" or "warn" or "medium" => 2,
        "info" or "low" => 3,
        _ => null,
    };

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    private static HashSet<string> Closure(VigilConfig config, string id)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(config.FindService(id)?.DependsOn ?? []);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (next != id && seen.Add(next))
            {
                foreach (var d in config.FindService(next)?.DependsOn ?? [])
                {
                    stack.Push(d);
                }
            }
        }

        return seen;
    }

    private static string? TryRead(Func<string, string> readFile, string path, string what, List<string> problems)
    {
        try
        {
            return readFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{what}: cannot read {path}: {ex.Message}");
            return null;
        }
    }
}
