namespace Vigil.Core.StatusPage;

/// <summary>
/// Everything the public status page shows, and nothing more: no check targets, labels, people or
/// internal notes can reach it, because none of them are in these records.
/// </summary>
/// <param name="Days">The UTC days the uptime bars cover, oldest first (90).</param>
public sealed record StatusPageModel(
    string Title,
    string? LogoUrl,
    string? Message,
    PublicState Overall,
    IReadOnlyList<DateOnly> Days,
    IReadOnlyList<PublicService> Services,
    IReadOnlyList<PublicIncident> OpenIncidents,
    IReadOnlyList<PublicIncident> RecentIncidents,
    IReadOnlyList<PublicMaintenance> Maintenance);

/// <summary>A public service with its state now and its uptime per day.</summary>
/// <param name="Uptime">Successful results over all results in the covered days, 0–100; null without any result.</param>
/// <param name="DailyUptime">One value per day of <see cref="StatusPageModel.Days"/> (0–100), null for a day without results.</param>
public sealed record PublicService(string Id, string Name, string? Description, PublicState State, double? Uptime, IReadOnlyList<double?> DailyUptime)
{
    /// <summary>The service's SLOs with their attainment, when <c>status_page.show_slos</c> is on; else empty.</summary>
    public IReadOnlyList<Vigil.Core.Slos.SloAttainment> Slos { get; init; } = [];
}

/// <summary>An incident on a public service, as the public sees it: no title (titles name checks and targets), only what responders wrote for the public.</summary>
/// <param name="Severity">The severity level's name (like High).</param>
/// <param name="Status">investigating, identified, monitoring or resolved (see <see cref="StatusPageBuilder.PublicStatus"/>).</param>
public sealed record PublicIncident(
    long Id,
    string ServiceId,
    string ServiceName,
    string Severity,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PublicUpdate> Updates);

/// <summary>A public update written by a responder.</summary>
public sealed record PublicUpdate(DateTimeOffset At, string Text);

/// <summary>A maintenance window that covers at least one public service, active now or starting soon.</summary>
/// <param name="Id"><c>config:&lt;id&gt;</c> or <c>#&lt;n&gt;</c>.</param>
public sealed record PublicMaintenance(string Id, IReadOnlyList<string> ServiceNames, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Description, bool Active);
