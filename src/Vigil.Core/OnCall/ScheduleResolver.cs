using Vigil.Core.Config;

namespace Vigil.Core.OnCall;

/// <summary>
/// Who is on call for a schedule, as pure functions of (schedule, overrides, time). All wall-clock
/// arithmetic happens in the schedule's IANA time zone (<c>timezone</c>).
/// <para><b>Rotations.</b> Each layer rotates through its <c>members</c> in order; shift <c>k</c>
/// (counted from the layer's anchor, negative before it) belongs to member <c>k mod members</c>.
/// Rotations extend backwards before the anchor too: <c>start</c> fixes the phase, it does not
/// switch the layer on.</para>
/// <list type="bullet">
/// <item><c>daily</c>: a shift per day. The anchor is <c>start</c> (default 2024-01-01) at the handoff time.</item>
/// <item><c>weekly</c>: a shift per week, handing off on the handoff weekday (Monday unless named) at
/// the handoff time. The anchor is the last handoff weekday ON OR BEFORE <c>start</c>, so the first
/// member is on call at <c>start</c> at the handoff time even when <c>start</c> is not the handoff weekday.</item>
/// <item><c>custom</c>: a shift per <c>shift_length</c>, anchored at <c>start</c> at the handoff time.</item>
/// </list>
/// <para><b>Wall clock and DST.</b> Daily and weekly handoffs, and custom handoffs whose
/// <c>shift_length</c> is a whole number of days (<c>3d</c>) or divides a day evenly (<c>12h</c>,
/// <c>8h</c>, <c>6h</c>, <c>90m</c>, …), are wall-clock times: they happen at the same local time
/// every time (a 09:00 daily handoff is at 09:00 local also across a DST change, so the shift
/// containing the change is 23 or 25 hours long; 12h shifts at 08:00/20:00 stay at 08:00/20:00 and
/// one of them is 11 or 13 hours long). Any other custom length (<c>10h</c>, <c>36h</c>) does not
/// repeat at fixed local times anyway, so it is elapsed time: boundaries are exactly
/// <c>shift_length</c> apart, counted from the anchor instant, and drift by the DST change on the
/// wall clock. A wall-clock handoff or restriction edge that does not exist (in the spring-forward
/// gap, like 02:30 in Europe/Berlin on the last Sunday of March) happens at the first valid instant
/// after the gap; one that happens twice (in the doubled fall-back hour) happens at the FIRST
/// occurrence (see <see cref="WallClock.ToInstant"/>). When a gap swallows a whole sub-hour shift,
/// that shift is empty and its member skips that turn.</para>
/// <para><b>Restrictions</b> limit a layer to windows (weekdays plus from/to in the schedule zone;
/// <c>to</c> not after <c>from</c> runs past midnight, and the weekdays name the day a window
/// starts). Outside its windows a layer has nobody on call; the rotation keeps counting regardless.</para>
/// <para><b>Precedence.</b> Layers are evaluated top to bottom and the LAST layer with someone on
/// call wins. Overrides (config and ad-hoc) beat every layer while active (<c>from &lt;= t &lt; to</c>);
/// among overlapping overrides the most recently created wins: the highest id, where config
/// overrides rank below every ad-hoc one and later config entries beat earlier ones. Ad-hoc
/// overrides for other schedules are ignored. When nothing applies nobody is on call.</para>
/// <para>Instants must lie between the years 0001 and 9999 with a couple of weeks to spare.</para>
/// </summary>
public static class ScheduleResolver
{
    /// <summary>The most entries <see cref="Shifts"/> returns.</summary>
    public const int MaxShifts = 1000;

    /// <summary>The most boundaries <see cref="Shifts"/> examines, and <see cref="OnCallAt"/> walks either way while merging.</summary>
    public const int MaxSteps = 10 * MaxShifts;

    /// <summary>The anchor date of layers without <c>start</c>.</summary>
    public static DateOnly DefaultStart { get; } = new(2024, 1, 1);

    private static readonly DateTimeOffset _minSupported = new(1, 1, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _maxSupported = new(9999, 12, 12, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Who is on call at <paramref name="at"/>, why, and for how long: <see cref="OnCallShift.Start"/>
    /// and <see cref="OnCallShift.End"/> bound the stretch around <paramref name="at"/> with the same
    /// person and source (a one-member rotation is one stretch, not a shift per handoff). The
    /// stretch is looked for at most <see cref="MaxSteps"/> boundaries either way; past that, End is
    /// simply a moment the answer is worked out again. Start is <see cref="DateTimeOffset.MinValue"/>
    /// and End <see cref="DateTimeOffset.MaxValue"/> when nothing in the schedule ever changes the
    /// answer in that direction (a lone unrestricted one-member layer, before or after any override).
    /// </summary>
    /// <param name="overrides">Ad-hoc overrides (any schedule's; others are ignored). The schedule's config overrides are added here.</param>
    public static OnCallShift OnCallAt(ScheduleConfig schedule, IReadOnlyList<OnCallOverride> overrides, DateTimeOffset at)
    {
        CheckRange(at, nameof(at));
        var plan = Plan.Build(schedule, overrides);
        var current = plan.Evaluate(at);

        var end = current.End;
        for (var steps = 0; steps < MaxSteps && end < _maxSupported; steps++)
        {
            var next = plan.Evaluate(end);
            if (!next.SameAnswer(current))
            {
                break;
            }

            end = next.End;
        }

        var start = current.Start;
        for (var steps = 0; steps < MaxSteps && start > _minSupported; steps++)
        {
            var previous = plan.Evaluate(start.AddTicks(-1));
            if (!previous.SameAnswer(current))
            {
                break;
            }

            start = previous.Start;
        }

        return current with { Start = start, End = end };
    }

    /// <summary>
    /// Who is on call over <c>[from, to)</c>, in order, for <c>vigil oncall --next</c>: consecutive
    /// entries with the same person and source are merged, stretches with nobody on call are
    /// included (with a null person), and the entries exactly tile <c>[from, to)</c> (the first starts
    /// at <paramref name="from"/>, the last ends at <paramref name="to"/>; use <see cref="OnCallAt"/>
    /// for the true start of the current shift). To survive pathological configs (a one-minute custom
    /// rotation over years) it returns at most <see cref="MaxShifts"/> entries and examines at most
    /// <see cref="MaxSteps"/> boundaries; when it stops early the last entry ends before <paramref name="to"/>.
    /// </summary>
    /// <param name="overrides">Ad-hoc overrides (any schedule's; others are ignored). The schedule's config overrides are added here.</param>
    public static IReadOnlyList<OnCallShift> Shifts(ScheduleConfig schedule, IReadOnlyList<OnCallOverride> overrides, DateTimeOffset from, DateTimeOffset to)
    {
        CheckRange(from, nameof(from));
        var plan = Plan.Build(schedule, overrides);
        var limit = to < _maxSupported ? to : _maxSupported;
        var shifts = new List<OnCallShift>();
        var t = from;
        for (var steps = 0; steps < MaxSteps && t < limit; steps++)
        {
            var segment = plan.Evaluate(t);
            var piece = segment with { Start = t, End = segment.End < limit ? segment.End : limit };
            if (shifts.Count > 0 && shifts[^1].SameAnswer(piece))
            {
                shifts[^1] = shifts[^1] with { End = piece.End };
            }
            else if (shifts.Count == MaxShifts)
            {
                break;
            }
            else
            {
                shifts.Add(piece);
            }

            t = piece.End;
        }

        return shifts;
    }

    /// <summary>
    /// The schedule's config <c>overrides:</c> as <see cref="OnCallOverride"/>s, created by
    /// <c>config</c>, with ids <c>-n .. -1</c> in list order (n = the number of entries): below every
    /// stored (positive) id, and later entries above earlier ones.
    /// </summary>
    public static IReadOnlyList<OnCallOverride> ConfigOverrides(ScheduleConfig schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var count = schedule.Overrides.Count;
        return schedule.Overrides
            .Select((o, i) => new OnCallOverride(i - count, schedule.Id, o.Person, o.Start, o.End, o.Reason, "config"))
            .ToList();
    }

    private static void CheckRange(DateTimeOffset value, string name)
    {
        if (value < _minSupported || value > _maxSupported)
        {
            throw new ArgumentOutOfRangeException(name, value, "on-call times must lie between the years 0001 and 9999 with a few weeks to spare");
        }
    }

    private static TimeZoneInfo FindZone(ScheduleConfig schedule) =>
        TimeZones.TryFind(schedule.Timezone, out var zone) && zone is not null
            ? zone
            : throw new ArgumentException($"schedule `{schedule.Id}` has an unknown time zone `{schedule.Timezone}`", nameof(schedule));

    private sealed record LayerPlan(ScheduleLayerConfig Config, ShiftGrid Grid, OnCallSource Source);

    private sealed record OverridePlan(OnCallOverride Override, OnCallSource Source);

    /// <summary>A schedule prepared for evaluation: its zone, layer grids and overrides in rising precedence.</summary>
    private sealed class Plan
    {
        private readonly TimeZoneInfo _zone;
        private readonly IReadOnlyList<LayerPlan> _layers;
        private readonly IReadOnlyList<OverridePlan> _overrides;

        private Plan(TimeZoneInfo zone, IReadOnlyList<LayerPlan> layers, IReadOnlyList<OverridePlan> overrides)
        {
            _zone = zone;
            _layers = layers;
            _overrides = overrides;
        }

        public static Plan Build(ScheduleConfig schedule, IReadOnlyList<OnCallOverride> adHoc)
        {
            ArgumentNullException.ThrowIfNull(schedule);
            ArgumentNullException.ThrowIfNull(adHoc);
            var zone = FindZone(schedule);
            var layers = schedule.Layers
                .Select((layer, i) => (layer, i))
                .Where(x => x.layer.Members.Count > 0)
                .Select(x => new LayerPlan(x.layer, ShiftGrid.For(x.layer, zone), OnCallSource.Layer(x.i, x.layer.Name)))
                .ToList();
            var configured = ConfigOverrides(schedule)
                .Select((o, i) => new OverridePlan(o, OnCallSource.ConfigOverride(i, o.Id)));
            var stored = adHoc
                .Where(o => string.Equals(o.ScheduleId, schedule.Id, StringComparison.Ordinal))
                .OrderBy(o => o.Id)
                .Select(o => new OverridePlan(o, OnCallSource.Override(o.Id)));
            var overrides = configured.Concat(stored).Where(o => o.Override.From < o.Override.To).ToList();
            return new Plan(zone, layers, overrides);
        }

        /// <summary>
        /// The answer at <paramref name="at"/> and the elementary stretch around it in which nothing
        /// that matters changes: override edges always matter; under an active override nothing else
        /// does; otherwise the winning layer's shift edges (unless it has one member) and window edges
        /// and the window edges of the layers after it (which could take over) do.
        /// </summary>
        public OnCallShift Evaluate(DateTimeOffset at)
        {
            var start = DateTimeOffset.MinValue;
            var end = DateTimeOffset.MaxValue;

            void Narrow(DateTimeOffset from, DateTimeOffset to)
            {
                start = from > start ? from : start;
                end = to < end ? to : end;
            }

            void Edge(DateTimeOffset edge)
            {
                if (edge <= at)
                {
                    start = edge > start ? edge : start;
                }
                else
                {
                    end = edge < end ? edge : end;
                }
            }

            OverridePlan? winner = null;
            foreach (var o in _overrides)
            {
                Edge(o.Override.From);
                Edge(o.Override.To);
                if (o.Override.IsActiveAt(at))
                {
                    winner = o;
                }
            }

            if (winner is not null)
            {
                return new OnCallShift(winner.Override.PersonId, winner.Source, start, end);
            }

            for (var i = _layers.Count - 1; i >= 0; i--)
            {
                var layer = _layers[i];
                var window = RestrictionWindows.At(layer.Config.Restrictions, _zone, at);
                Narrow(window.Start, window.End);
                if (!window.Active)
                {
                    continue;
                }

                var members = layer.Config.Members;
                if (members.Count == 1)
                {
                    // A one-member rotation hands off to the same person: its handoffs change nothing.
                    return new OnCallShift(members[0], layer.Source, start, end);
                }

                var k = layer.Grid.IndexAt(at);
                Narrow(layer.Grid.Boundary(k), layer.Grid.Boundary(k + 1));
                var person = members[(int)(((k % members.Count) + members.Count) % members.Count)];
                return new OnCallShift(person, layer.Source, start, end);
            }

            return new OnCallShift(null, null, start, end);
        }
    }
}
