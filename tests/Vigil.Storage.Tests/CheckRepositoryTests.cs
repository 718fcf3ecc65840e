using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests;

/// <summary>The bulk reads the checks registry makes at start-up, on each backend.</summary>
public abstract class CheckRepositoryTests(Backend backend) : StoreTest(backend, Hour.AddMinutes(30))
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static HistoryBucket Bucket(string key, DateTimeOffset hour, int samples)
    {
        var b = new HistoryBucket(key, hour);
        for (var i = 0; i < samples; i++)
        {
            b.Add(new HistorySample(hour.AddSeconds(5 * i), i % 2 == 0 ? HealthState.Ok : HealthState.Critical, i % 2 == 0 ? FailureReason.None : FailureReason.Timeout, 10 + i));
        }

        return b;
    }

    [Fact]
    public async Task ListHourRawAsync_SeveralChecksAndHours_ReturnsOnlyThatHourForEveryCheck()
    {
        var a = Bucket("svc/a", Hour, 3);
        var b = Bucket("svc/b", Hour, 5);
        var older = Bucket("svc/a", Hour.AddHours(-1), 7);
        await Store.RecordAsync(async (s, c) =>
        {
            foreach (var bucket in new[] { a, b, older })
            {
                await s.Checks.UpsertHourAsync(bucket.ToRollup(includeRaw: false), bucket.EncodeRaw(), c);
            }

            return 0;
        }, CancellationToken.None);

        var rows = await Store.ReadAsync((s, c) => s.Checks.ListHourRawAsync(Hour.AddMinutes(42), c), CancellationToken.None);

        Assert.Equal(["svc/a", "svc/b"], rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(a.EncodeRaw(), rows.Single(r => r.Key == "svc/a").Raw);
        Assert.Equal(5, HistoryBucket.DecodeSamples(Hour, rows.Single(r => r.Key == "svc/b").Raw).Count);
    }

    [Fact]
    public async Task ListHourRawAsync_RawPruned_ReturnsNullRaw()
    {
        var a = Bucket("svc/a", Hour, 3);
        await Store.RecordAsync(async (s, c) =>
        {
            await s.Checks.UpsertHourAsync(a.ToRollup(includeRaw: false), null, c);
            return 0;
        }, CancellationToken.None);

        var row = Assert.Single(await Store.ReadAsync((s, c) => s.Checks.ListHourRawAsync(Hour, c), CancellationToken.None));

        Assert.Null(row.Raw);
    }

    [Fact]
    public async Task ListHeartbeatsAsync_TwoRecords_ReturnsBothAsStored()
    {
        var first = new HeartbeatRecord("jobs/nightly", Hour, new HeartbeatPing(HeartbeatPingKind.Success, Hour, 0));
        var second = new HeartbeatRecord("jobs/hourly", null, new HeartbeatPing(HeartbeatPingKind.Fail, Hour.AddMinutes(3), 2));
        await Store.RecordAsync(async (s, c) =>
        {
            await s.Checks.UpsertHeartbeatAsync(first, c);
            await s.Checks.UpsertHeartbeatAsync(second, c);
            return 0;
        }, CancellationToken.None);

        var all = await Store.ReadAsync((s, c) => s.Checks.ListHeartbeatsAsync(c), CancellationToken.None);

        Assert.Equal([second, first], all.OrderBy(h => h.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListDailyTotalsAsync_HoursOverTwoDays_SumsPerCheckAndUtcDay_FromTheStartOfSinceDay()
    {
        // Hour is 09:00 on 23 Nov; 00:00 and 23:00 of the day before, and a day too old to be asked for.
        var buckets = new[]
        {
            Bucket("svc/a", Hour, 4), Bucket("svc/a", Hour.AddHours(-1), 6),
            Bucket("svc/a", Hour.AddHours(-10), 2), Bucket("svc/a", Hour.AddHours(-33), 8),
            Bucket("svc/b", Hour, 3), Bucket("svc/a", Hour.AddDays(-3), 5),
        };
        await Store.RecordAsync(async (s, c) =>
        {
            foreach (var bucket in buckets)
            {
                await s.Checks.UpsertHourAsync(bucket.ToRollup(includeRaw: false), null, c);
            }

            return 0;
        }, CancellationToken.None);

        var totals = await Store.ReadAsync((s, c) => s.Checks.ListDailyTotalsAsync(Hour.AddDays(-1).AddHours(5), c), CancellationToken.None);

        var day = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [("svc/a", day.AddDays(-1), 10L, 5L), ("svc/a", day, 10L, 5L), ("svc/b", day, 3L, 1L)],
            totals.Select(t => (t.Key, t.Day, t.Count, t.Failures)).OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Day));
    }

    public sealed class OnSqlite() : CheckRepositoryTests(Backend.Sqlite);

    public sealed class OnPostgres() : CheckRepositoryTests(Backend.Postgres);

    [Fact]
    public async Task UpsertStatus_LeavesAPauseCommittedMeanwhile_AndSetPauseWritesOne()
    {
        var now = Hour.AddMinutes(30);
        var running = new StoredCheckStatus(CheckStatus.Initial("web/health", now), null, null, now);
        var paused = new StoredCheckStatus(CheckStateMachine.SetPaused(running.Status, true, now), "alice", "maintenance", now);
        await Store.RecordAsync(async (s, c) => { await s.Checks.UpsertStatusAsync(running, c); return 0; }, CancellationToken.None);
        await Store.RecordAsync(async (s, c) => { await s.Checks.SetPauseAsync(paused, c); return 0; }, CancellationToken.None);

        // A status taken from memory before the pause (an engine on another node, or a flush racing the pause) does not undo it.
        await Store.RecordAsync(async (s, c) => { await s.Checks.UpsertStatusAsync(running with { Status = running.Status with { ConsecutiveFailures = 3 } }, c); return 0; },
            CancellationToken.None);
        var stored = (await Store.ReadAsync((s, c) => s.Checks.ListStatusAsync(c), CancellationToken.None)).Single();
        Assert.Equal((true, "alice", "maintenance", 0), (stored.Status.Paused, stored.PausedBy, stored.PausedReason, stored.Status.ConsecutiveFailures));

        // Once the engine holds the pause, its status writes go through; a resume is written with SetPause.
        await Store.RecordAsync(async (s, c) => { await s.Checks.UpsertStatusAsync(paused with { Status = paused.Status with { ConsecutiveFailures = 2 } }, c); return 0; },
            CancellationToken.None);
        Assert.Equal(2, (await Store.ReadAsync((s, c) => s.Checks.ListStatusAsync(c), CancellationToken.None)).Single().Status.ConsecutiveFailures);
        await Store.RecordAsync(async (s, c) => { await s.Checks.SetPauseAsync(running, c); return 0; }, CancellationToken.None);
        Assert.False((await Store.ReadAsync((s, c) => s.Checks.ListStatusAsync(c), CancellationToken.None)).Single().Status.Paused);
    }
}
