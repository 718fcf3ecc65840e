namespace Vigil.Core.Slos;

/// <summary>
/// An SLO's attainment for reports and the public status page: percentages 0–100, rounded to three
/// decimals. <see cref="Attainment"/> is null with no events in the window, or when the SLI could not be read (state <c>unknown</c>).
/// </summary>
/// <param name="Name">The SLO's description, else its id.</param>
/// <param name="Met">Attainment at or above the objective (false with no events).</param>
public sealed record SloAttainment(string Service, string Id, string Name, double Objective, string Window, double? Attainment, double? BudgetRemaining, string State, bool Met)
{
    /// <summary>The attainment of each SLO, optionally of one service.</summary>
    public static IReadOnlyList<SloAttainment> Of(IEnumerable<SloStatus> statuses, string? service = null)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return statuses.Where(s => (service is null || s.Slo.Service == service)).Select(From).ToList();
    }

    public static SloAttainment From(SloStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var slo = status.Slo;
        var attainment = status.Budget?.Attainment;
        return new SloAttainment(slo.Service, slo.Id, string.IsNullOrWhiteSpace(slo.Description) ? slo.Id : slo.Description.Trim(),
            Math.Round(slo.Objective * 100, 4), slo.Window.ToConfigString(),
            attainment is { } a ? Math.Round(a * 100, 3) : null,
            status.Budget is { } b ? Math.Round(b.Remaining * 100, 3) : null,
            status.State, attainment is { } v && v >= slo.Objective - 1e-12);
    }
}
