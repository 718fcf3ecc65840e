using System.Globalization;
using Vigil.Core.Config;
using Vigil.Core.OnCall;
using Vigil.Core.Operations;
using Vigil.Server.Api;

namespace Vigil.Server.Status;

/// <summary>
/// What is quiet and who answers right now, for <c>GET /api/v1/status</c>: maintenance windows and silences in
/// force, and who is on call on each schedule. The rules are Core's (<see cref="MaintenanceWindows"/>,
/// <see cref="Silence.IsActiveAt"/>, <see cref="ScheduleResolver"/>); this only shapes their answers into views.
/// </summary>
internal static class QuietAndOnCall
{
    /// <summary>Windows in force at <paramref name="now"/>; an ad-hoc window names who created it.</summary>
    public static IReadOnlyList<WindowView> Windows(VigilConfig config, IReadOnlyList<MaintenanceWindow> adHoc, DateTimeOffset now)
    {
        var creators = adHoc.ToDictionary(w => "#" + w.Id.ToString(CultureInfo.InvariantCulture), w => w.CreatedBy);
        return MaintenanceWindows.Active(config.Maintenance, adHoc, now)
            .Select(w => new WindowView(w.Id, w.Services, w.StartsAt, w.EndsAt, w.Reason, w.BlocksDeploys, Active: true, creators.GetValueOrDefault(w.Id)))
            .OrderBy(w => w.EndsAt).ToList();
    }

    /// <summary>Silences in force at <paramref name="now"/>, ending soonest first.</summary>
    public static IReadOnlyList<SilenceView> Silences(IReadOnlyList<Silence> silences, DateTimeOffset now) =>
        silences.Where(s => s.IsActiveAt(now)).OrderBy(s => s.EndsAt).Select(SilenceView.From).ToList();

    /// <summary>Who is on call at <paramref name="now"/> on every schedule of the config, in config order.</summary>
    public static IReadOnlyList<OnCallView> OnCall(VigilConfig config, IReadOnlyList<OnCallOverride> overrides, DateTimeOffset now) =>
        config.Schedules.Select(s => OnCallOn(config, s, overrides, now)).ToList();

    /// <summary>Who is on call on <paramref name="schedule"/> at <paramref name="at"/> (also <c>GET /api/v1/oncall</c>).</summary>
    public static OnCallView OnCallOn(VigilConfig config, ScheduleConfig schedule, IReadOnlyList<OnCallOverride> overrides, DateTimeOffset at)
    {
        var shift = ScheduleResolver.OnCallAt(schedule, overrides, at);
        return new OnCallView(schedule.Id, shift.PersonId, PersonName(config, shift.PersonId), shift.Source?.ToString(),
            shift.Start == DateTimeOffset.MinValue ? null : shift.Start, shift.End == DateTimeOffset.MaxValue ? null : shift.End, at);
    }

    /// <summary>A person's display name, their id when the config has no name, null for nobody.</summary>
    public static string? PersonName(VigilConfig config, string? person) => person is null ? null : config.FindPerson(person)?.Name ?? person;
}
