using System.Text.Json;
using Vigil.Core.Config;

namespace Vigil.Core.Importers;

/// <summary>The vendors <c>vigil import</c> reads.</summary>
public enum ImportVendor
{
    PagerDuty,
    Opsgenie,
    GrafanaOnCall,
}

/// <summary>One JSON document saved from (or fetched from) a vendor's REST API, with where it came from for errors.</summary>
/// <param name="File">The file's name or path; importers that recognise documents by name (Opsgenie, Grafana OnCall,
/// overrides) read it, so a fetched page carries the name <c>--save</c> gives it (<c>users-2.json</c>).</param>
public sealed record ImportDocument(string File, JsonElement Root)
{
    /// <summary>Where errors say the document came from, when not <see cref="File"/>: a fetched page's URL and page number.</summary>
    public string? Source { get; init; }
}

/// <summary>Something in the vendor's definition Vigil did not map (or mapped with a stated difference), and why.</summary>
/// <param name="Kind">What it is: <c>user</c>, <c>layer</c>, <c>restriction</c>, <c>override</c>, <c>escalation rule</c>, <c>integration</c>, …</param>
/// <param name="Source">Where it is in the vendor's data (name and id), for people to find it.</param>
/// <param name="Reason">Why it was not mapped, and what to do instead.</param>
public sealed record UnmappedItem(string Kind, string Source, string Reason);

/// <summary>
/// What an importer made of a vendor's data: the Vigil config sections (people, schedules,
/// escalation policies, services, notifiers) and everything it could not map.
/// </summary>
public sealed class ImportResult
{
    public required ImportVendor Vendor { get; init; }

    public List<PersonConfig> People { get; } = [];

    public List<ScheduleConfig> Schedules { get; } = [];

    public List<EscalationPolicyConfig> EscalationPolicies { get; } = [];

    public List<ServiceConfig> Services { get; } = [];

    /// <summary>Notifiers, already as YAML mapping lines (id first) because their variants are open-ended.</summary>
    public List<ImportedNotifier> Notifiers { get; } = [];

    public List<UnmappedItem> Unmapped { get; } = [];

    /// <summary>Vendor id of a user → Vigil person id.</summary>
    public Dictionary<string, string> PersonIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Vendor id of a schedule → Vigil schedule id.</summary>
    public Dictionary<string, string> ScheduleIds { get; } = new(StringComparer.Ordinal);

    public void Skip(string kind, string source, string reason) => Unmapped.Add(new UnmappedItem(kind, source, reason));
}

/// <summary>A webhook notifier made from a vendor's outgoing webhook.</summary>
public sealed record ImportedNotifier(string Id, string Url, string? Comment);

/// <summary>
/// The vendor's data is not what its API returns: names the file, the JSON path and how to fix it.
/// Its message is shown to the user as it is (never a stack trace).
/// </summary>
public sealed class ImportInputException(string file, string jsonPath, string problem, string fix)
    : Exception($"{file}: at {jsonPath}: {problem}; {fix}")
{
    public string File { get; } = file;

    public string JsonPath { get; } = jsonPath;
}
