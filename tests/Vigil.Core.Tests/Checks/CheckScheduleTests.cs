using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class CheckScheduleTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextAfter_ManyKeysAndTimes_StrictlyAfterNowAndWithinOneInterval()
    {
        var rng = new Random(7);
        var every = TimeSpan.FromSeconds(30);
        for (var i = 0; i < 5000; i++)
        {
            var now = Now.AddTicks(rng.NextInt64(TimeSpan.TicksPerDay));
            var next = CheckSchedule.NextAfter($"svc-{i % 50}/check", every, TimeSpan.Zero, now);

            Assert.True(next > now, $"{next:O} is not after {now:O}");
            Assert.True(next <= now + every, $"{next:O} is more than one interval after {now:O}");
        }
    }

    [Fact]
    public void NextAfter_NowIsARunTime_ReturnsTheFollowingRun()
    {
        var every = TimeSpan.FromSeconds(10);
        var run = CheckSchedule.NextAfter("edge-api/health", every, TimeSpan.Zero, Now);

        var next = CheckSchedule.NextAfter("edge-api/health", every, TimeSpan.Zero, run);

        Assert.Equal(run + every, next);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    [InlineData(60_000)]
    [InlineData(3_600_000)]
    public void NextAfter_ConsecutiveCallsWithoutJitter_StepByExactlyEvery(int everyMs)
    {
        var every = TimeSpan.FromMilliseconds(everyMs);
        var t = CheckSchedule.NextAfter("db/replication-lag", every, TimeSpan.Zero, Now);
        for (var i = 0; i < 200; i++)
        {
            var next = CheckSchedule.NextAfter("db/replication-lag", every, TimeSpan.Zero, t);
            Assert.Equal(every, next - t);
            t = next;
        }
    }

    [Fact]
    public void NextAfter_SameKey_SameTimes()
    {
        var every = TimeSpan.FromMinutes(1);
        var jitter = TimeSpan.FromSeconds(20);

        Assert.Equal(
            CheckSchedule.NextAfter("edge-api/health", every, jitter, Now),
            CheckSchedule.NextAfter("edge-api/health", every, jitter, Now));

        // Without jitter, any "now" inside the same wait gives the same run: a restart agrees.
        var run = CheckSchedule.NextAfter("edge-api/health", every, TimeSpan.Zero, Now);
        Assert.Equal(run, CheckSchedule.NextAfter("edge-api/health", every, TimeSpan.Zero, Now.AddTicks(1)));
        Assert.Equal(run, CheckSchedule.NextAfter("edge-api/health", every, TimeSpan.Zero, run - TimeSpan.FromTicks(1)));
        Assert.Equal(run, CheckSchedule.NextAfter("edge-api/health", every, TimeSpan.Zero, run - every));
    }

    [Fact]
    public void NextAfter_DifferentKeys_DifferentPhases()
    {
        var every = TimeSpan.FromMinutes(1);
        var times = Enumerable.Range(0, 100)
            .Select(i => CheckSchedule.NextAfter($"svc/check-{i}", every, TimeSpan.Zero, Now))
            .ToList();

        // 100 phases drawn from 600 million ticks: a collision would mean the key is ignored.
        Assert.Equal(100, times.Distinct().Count());
    }

    [Fact]
    public void NextAfter_OffsetInNow_SameInstantSameAnswerInUtc()
    {
        var every = TimeSpan.FromSeconds(15);
        var berlin = Now.ToOffset(TimeSpan.FromHours(2));

        var fromUtc = CheckSchedule.NextAfter("k", every, TimeSpan.Zero, Now);
        var fromBerlin = CheckSchedule.NextAfter("k", every, TimeSpan.Zero, berlin);

        Assert.Equal(fromUtc.UtcTicks, fromBerlin.UtcTicks);
        Assert.Equal(TimeSpan.Zero, fromBerlin.Offset);
    }

    [Fact]
    public void NextAfter_TenThousandKeys_PhasesSpreadAcrossTheInterval()
    {
        var every = TimeSpan.FromSeconds(5);
        const int keys = 10_000;
        const int buckets = 100; // 50 ms each
        var counts = new int[buckets];
        for (var i = 0; i < keys; i++)
        {
            var next = CheckSchedule.NextAfter($"service-{i / 10}/check-{i % 10}", every, TimeSpan.Zero, Now);
            var intoInterval = next - Now; // Now is on a 5 s boundary, so this is the phase (or the full interval)
            Assert.InRange(intoInterval, TimeSpan.FromTicks(1), every);
            var bucket = (int)(intoInterval.Ticks * buckets / every.Ticks) % buckets;
            counts[bucket]++;
        }

        const double fair = (double)keys / buckets;
        var mean = counts.Average();
        var sd = Math.Sqrt(counts.Sum(c => (c - mean) * (c - mean)) / buckets);

        // Uniform phases give a standard deviation near sqrt(100) = 10; firing together gives ~1000.
        Assert.True(counts.Max() <= 3 * fair, $"busiest 50 ms bucket holds {counts.Max()} checks (fair share {fair})");
        Assert.True(counts.Min() >= fair / 3, $"quietest 50 ms bucket holds {counts.Min()} checks (fair share {fair})");
        Assert.True(sd < 20, $"bucket counts have standard deviation {sd:0.0}");
    }

    [Fact]
    public void NextAfter_WithJitter_OffsetWithinZeroToJitter()
    {
        var every = TimeSpan.FromSeconds(10);
        var jitter = TimeSpan.FromSeconds(3);
        var rng = new Random(11);
        var offsets = new List<TimeSpan>();
        for (var i = 0; i < 2000; i++)
        {
            var key = $"svc/check-{i}";
            var now = Now.AddTicks(rng.NextInt64(TimeSpan.TicksPerHour));
            // Slots start at k*every + phase; the unjittered schedule reveals the key's phase.
            var phase = CheckSchedule.NextAfter(key, every, TimeSpan.Zero, now).UtcTicks % every.Ticks;

            var jittered = CheckSchedule.NextAfter(key, every, jitter, now);

            var offset = TimeSpan.FromTicks((((jittered.UtcTicks - phase) % every.Ticks) + every.Ticks) % every.Ticks);
            Assert.True(offset < jitter, $"{key}: run {jittered:O} is {offset} into its slot, outside [0, {jitter})");
            Assert.True(jittered > now, $"{key}: {jittered:O} is not after {now:O}");
            Assert.True(jittered <= now + every + jitter, $"{key}: {jittered:O} is more than every + jitter after {now:O}");
            offsets.Add(offset);
        }

        // The offset is really applied and varies: roughly uniform over [0, 3s).
        Assert.Contains(offsets, o => o < TimeSpan.FromSeconds(0.5));
        Assert.Contains(offsets, o => o > TimeSpan.FromSeconds(2.5));
        Assert.InRange(offsets.Average(o => o.TotalSeconds), 1.3, 1.7);
    }

    [Fact]
    public void NextAfter_WithJitter_VariesPerRunAndIsDeterministic()
    {
        var every = TimeSpan.FromSeconds(10);
        var jitter = TimeSpan.FromSeconds(5);
        var runs = new List<DateTimeOffset>();
        var t = Now;
        for (var i = 0; i < 50; i++)
        {
            t = CheckSchedule.NextAfter("edge-api/health", every, jitter, t);
            runs.Add(t);
        }

        var again = new List<DateTimeOffset>();
        t = Now;
        for (var i = 0; i < 50; i++)
        {
            t = CheckSchedule.NextAfter("edge-api/health", every, jitter, t);
            again.Add(t);
        }

        Assert.Equal(runs, again);
        var gaps = runs.Zip(runs.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g, every - jitter + TimeSpan.FromTicks(1), every + jitter - TimeSpan.FromTicks(1)));
        Assert.True(gaps.Distinct().Count() > 10, "jitter does not vary between runs");
    }

    [Fact]
    public void NextAfter_RestartMidWaitWithJitter_MatchesUninterruptedSchedule()
    {
        // "A restart or another node computes the same times": a node that starts at any moment
        // must pick the same next run as a node that has been following the schedule all along.
        var every = TimeSpan.FromSeconds(10);
        var jitter = TimeSpan.FromSeconds(5);
        var rng = new Random(3);
        var mismatches = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var key = $"svc/check-{i}";
            var restartAt = Now.AddTicks(rng.NextInt64(TimeSpan.TicksPerHour));

            var t = CheckSchedule.NextAfter(key, every, jitter, restartAt - TimeSpan.FromMinutes(5));
            while (t <= restartAt)
            {
                t = CheckSchedule.NextAfter(key, every, jitter, t);
            }

            var fresh = CheckSchedule.NextAfter(key, every, jitter, restartAt);
            if (fresh != t)
            {
                mismatches.Add($"{key} at {restartAt:HH:mm:ss.fff}: schedule runs at {t:HH:mm:ss.fff}, restart picks {fresh:HH:mm:ss.fff}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count}/200 restarts skip a run, e.g. {string.Join("; ", mismatches.Take(3))}");
    }

    [Fact]
    public void NextAfter_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => CheckSchedule.NextAfter(null!, TimeSpan.FromSeconds(1), TimeSpan.Zero, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckSchedule.NextAfter("k", TimeSpan.Zero, TimeSpan.Zero, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckSchedule.NextAfter("k", TimeSpan.FromSeconds(-1), TimeSpan.Zero, Now));
    }
}
