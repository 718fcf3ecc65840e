using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;

namespace Vigil.Core.StatusPage;

/// <summary>What <see cref="StatusPageBuilder"/> turns into a <see cref="StatusPageModel"/>.</summary>
/// <param name="ServiceHealth">Service id → its health now as <c>ServiceHealth</c> names it (ok, warning, critical, unknown, paused).</param>
/// <param name="Uptime">Service id → UTC day → results that day (from the hourly rollups).</param>
/// <param name="Incidents">Open incidents and those opened in the last 30 days (any service; the builder keeps the public ones).</param>
/// <param name="PublicUpdates">Incident id → its public updates, oldest first.</param>
/// <param name="AdHocWindows">Ad-hoc maintenance windows that end after now.</param>
/// <param name="Slos">The SLOs as last evaluated; shown per service when <c>status_page.show_slos</c> is on.</param>
public sealed record StatusPageInput(
    VigilConfig Config,
    IReadOnlyDictionary<string, string> ServiceHealth,
    IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, DayCount>> Uptime,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyDictionary<long, IReadOnlyList<TimelineEntry>> PublicUpdates,
    IReadOnlyList<MaintenanceWindow> AdHocWindows,
    DateTimeOffset Now,
    IReadOnlyList<Vigil.Core.Slos.SloStatus>? Slos = null);
