using System.Data.Common;
using System.Globalization;
using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoCheckRepository(DbScope db) : ICheckRepository
{
    private const string StatusColumns =
        "key, state, reason, since, consecutive_failures, consecutive_passes, streak_since, recent_changes, flapping, " +
        "last_state, last_reason, last_latency_ms, last_message, last_value, last_at, paused, paused_by, paused_reason, watching_since";

    private const string HourColumns = "key, hour, count, failures, reasons, lat_min, lat_avg, lat_max, lat_p95, minutes";

    public async Task<IReadOnlyList<StoredCheckStatus>> ListStatusAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, $"SELECT {StatusColumns} FROM check_status ORDER BY key", MapStatus, ct);

    public Task UpsertStatusAsync(StoredCheckStatus stored, CancellationToken ct) => WriteStatusAsync(stored, "WHERE check_status.paused = excluded.paused", ct);

    public Task SetPauseAsync(StoredCheckStatus stored, CancellationToken ct) => WriteStatusAsync(stored, "", ct);

    private Task WriteStatusAsync(StoredCheckStatus stored, string condition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var s = stored.Status;
        var r = s.LastResult;
        return Db.ExecuteAsync(db, $"""
            INSERT INTO check_status ({StatusColumns})
            VALUES (@key, @state, @reason, @since, @cf, @cp, @streak, @recent, @flapping, @ls, @lr, @ll, @lm, @lv, @la, @paused, @pby, @preason, @watching)
            ON CONFLICT (key) DO UPDATE SET
                state = excluded.state, reason = excluded.reason, since = excluded.since,
                consecutive_failures = excluded.consecutive_failures, consecutive_passes = excluded.consecutive_passes,
                streak_since = excluded.streak_since, recent_changes = excluded.recent_changes, flapping = excluded.flapping,
                last_state = excluded.last_state, last_reason = excluded.last_reason, last_latency_ms = excluded.last_latency_ms,
                last_message = excluded.last_message, last_value = excluded.last_value, last_at = excluded.last_at,
                paused = excluded.paused, paused_by = excluded.paused_by, paused_reason = excluded.paused_reason,
                watching_since = excluded.watching_since
            {condition}
            """, ct,
            ("@key", s.Key), ("@state", ReasonNames.ToName(s.State)), ("@reason", ReasonNames.ToName(s.Reason)), ("@since", Db.Millis(s.Since)),
            ("@cf", s.ConsecutiveFailures), ("@cp", s.ConsecutivePasses), ("@streak", s.StreakSince is { } st ? Db.Millis(st) : null),
            ("@recent", string.Join(',', s.RecentChanges.Select(t => Db.Millis(t).ToString(CultureInfo.InvariantCulture)))),
            ("@flapping", s.Flapping ? 1 : 0),
            ("@ls", r is null ? null : ReasonNames.ToName(r.State)), ("@lr", r is null ? null : ReasonNames.ToName(r.Reason)),
            ("@ll", r is null ? null : (long)r.Latency.TotalMilliseconds), ("@lm", r?.Message), ("@lv", r?.Value),
            ("@la", s.LastResultAt is { } la ? Db.Millis(la) : null),
            ("@paused", s.Paused ? 1 : 0), ("@pby", stored.PausedBy), ("@preason", stored.PausedReason), ("@watching", Db.Millis(stored.WatchingSince)));
    }

    public Task DeleteStatusAsync(string key, CancellationToken ct) =>
        Db.ExecuteAsync(db, "DELETE FROM check_status WHERE key = @key", ct, ("@key", key));

    public Task InsertChangeAsync(StateChange change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Db.ExecuteAsync(db,
            "INSERT INTO check_state_changes (key, from_state, to_state, reason, at, message, flapping) VALUES (@key, @from, @to, @reason, @at, @message, @flapping)", ct,
            ("@key", change.Key), ("@from", ReasonNames.ToName(change.From)), ("@to", ReasonNames.ToName(change.To)), ("@reason", ReasonNames.ToName(change.Reason)),
            ("@at", Db.Millis(change.At)), ("@message", change.Message), ("@flapping", change.Flapping ? 1 : 0));
    }

    public async Task<IReadOnlyList<StateChange>> ListChangesAsync(string key, DateTimeOffset since, int limit, CancellationToken ct) =>
        await Db.QueryAsync(db,
            "SELECT key, from_state, to_state, reason, at, message, flapping FROM check_state_changes WHERE key = @key AND at >= @since ORDER BY at DESC, id DESC LIMIT @limit",
            r => new StateChange(r.GetString(0), ReasonNames.ParseState(r.GetString(1)), ReasonNames.ParseState(r.GetString(2)), ParseReason(r.GetString(3)),
                r.Time(4), r.NullableString(5), r.GetInt64(6) != 0),
            ct, ("@key", key), ("@since", Db.Millis(since)), ("@limit", Math.Clamp(limit, 1, 100_000)));

    public Task UpsertHourAsync(HourRollup h, byte[]? raw, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(h);
        return Db.ExecuteAsync(db, $"""
            INSERT INTO check_history ({HourColumns}, raw) VALUES (@key, @hour, @count, @failures, @reasons, @min, @avg, @max, @p95, @minutes, @raw)
            ON CONFLICT (key, hour) DO UPDATE SET count = excluded.count, failures = excluded.failures, reasons = excluded.reasons,
                lat_min = excluded.lat_min, lat_avg = excluded.lat_avg, lat_max = excluded.lat_max, lat_p95 = excluded.lat_p95,
                minutes = excluded.minutes, raw = excluded.raw
            """, ct,
            ("@key", h.Key), ("@hour", Db.Millis(h.Hour)), ("@count", h.Count), ("@failures", h.Failures), ("@reasons", HistoryBucket.FormatReasons(h.FailuresByReason)),
            ("@min", h.MinLatencyMs), ("@avg", h.AvgLatencyMs), ("@max", h.MaxLatencyMs), ("@p95", h.P95LatencyMs),
            ("@minutes", HistoryBucket.EncodeMinutes(h.Hour, h.Minutes)), ("@raw", raw));
    }

    public async Task<IReadOnlyList<HourRollup>> ListHoursAsync(string key, DateTimeOffset since, bool includeRaw, CancellationToken ct) =>
        await Db.QueryAsync(db,
            $"SELECT {HourColumns}, {(includeRaw ? "raw" : "NULL")} FROM check_history WHERE key = @key AND hour >= @since ORDER BY hour",
            r =>
            {
                var hour = r.Time(1);
                var raw = r.IsDBNull(10) ? null : HistoryBucket.DecodeSamples(hour, (byte[])r.GetValue(10));
                return new HourRollup(r.GetString(0), hour, r.GetInt32(2), r.GetInt32(3), HistoryBucket.ParseReasons(r.GetString(4)),
                    r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), HistoryBucket.DecodeMinutes(hour, (byte[])r.GetValue(9)), raw);
            }, ct, ("@key", key), ("@since", Db.Millis(HistoryBucket.HourOf(since))));

    public async Task<IReadOnlyList<DailyTotal>> ListDailyTotalsAsync(DateTimeOffset since, CancellationToken ct)
    {
        const long DayMs = 86_400_000;
        var from = Db.Millis(since) / DayMs * DayMs;
        // Integer division by a BIGINT constant is the same in SQLite and PostgreSQL: the UTC day of each hour row.
        // Grouping by day first keeps SQLite on the hour index, which covers count and failures (migration 9),
        // instead of walking the primary key and fetching every row from the table.
        return await Db.QueryAsync(db, $"""
            SELECT key, hour / {DayMs} AS day, SUM(count), SUM(failures) FROM check_history
            WHERE hour >= @since GROUP BY hour / {DayMs}, key
            """,
            r => new DailyTotal(r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1) * DayMs), r.GetInt64(2), r.GetInt64(3)),
            ct, ("@since", from));
    }

    public async Task<(int RawPruned, int RowsDeleted)> PruneHistoryAsync(DateTimeOffset rawBefore, DateTimeOffset rollupsBefore, CancellationToken ct)
    {
        var deleted = await Db.ExecuteAsync(db, "DELETE FROM check_history WHERE hour < @before", ct, ("@before", Db.Millis(rollupsBefore)));
        var pruned = await Db.ExecuteAsync(db, "UPDATE check_history SET raw = NULL WHERE hour < @before AND raw IS NOT NULL", ct,
            ("@before", Db.Millis(HistoryBucket.HourOf(rawBefore))));
        return (pruned, deleted);
    }

    public async Task<IReadOnlyList<StoredHourRaw>> ListHourRawAsync(DateTimeOffset hour, CancellationToken ct) =>
        await Db.QueryAsync(db, "SELECT key, raw FROM check_history WHERE hour = @hour",
            r => new StoredHourRaw(r.GetString(0), r.IsDBNull(1) ? null : (byte[])r.GetValue(1)),
            ct, ("@hour", Db.Millis(HistoryBucket.HourOf(hour))));

    public async Task<HeartbeatRecord?> GetHeartbeatAsync(string key, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"{HeartbeatSelect} WHERE key = @key", MapHeartbeat, ct, ("@key", key))).FirstOrDefault();

    public async Task<IReadOnlyList<HeartbeatRecord>> ListHeartbeatsAsync(CancellationToken ct) =>
        await Db.QueryAsync(db, HeartbeatSelect, MapHeartbeat, ct);

    private const string HeartbeatSelect = "SELECT key, last_success, last_ping_kind, last_ping_at, last_exit_code FROM heartbeats";

    private static HeartbeatRecord MapHeartbeat(DbDataReader r) =>
        new(r.GetString(0), r.NullableTime(1),
            r.IsDBNull(2) ? null : new HeartbeatPing(Enum.Parse<HeartbeatPingKind>(r.GetString(2), ignoreCase: true), r.Time(3), r.IsDBNull(4) ? null : r.GetInt32(4)));

    public Task UpsertHeartbeatAsync(HeartbeatRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Db.ExecuteAsync(db, """
            INSERT INTO heartbeats (key, last_success, last_ping_kind, last_ping_at, last_exit_code) VALUES (@key, @success, @kind, @at, @code)
            ON CONFLICT (key) DO UPDATE SET last_success = excluded.last_success, last_ping_kind = excluded.last_ping_kind,
                last_ping_at = excluded.last_ping_at, last_exit_code = excluded.last_exit_code
            """, ct,
            ("@key", record.Key), ("@success", record.LastSuccess is { } s ? Db.Millis(s) : null),
            ("@kind", record.LastPing?.Kind.ToString().ToLowerInvariant()), ("@at", record.LastPing is { } p ? Db.Millis(p.At) : null),
            ("@code", record.LastPing?.ExitCode));
    }

    private static FailureReason ParseReason(string name) => ReasonNames.TryParse(name, out var r) ? r : FailureReason.None;

    private static StoredCheckStatus MapStatus(DbDataReader r)
    {
        ProbeResult? last = r.IsDBNull(9) ? null : new ProbeResult(ReasonNames.ParseState(r.GetString(9)), ParseReason(r.GetString(10)),
            TimeSpan.FromMilliseconds(r.GetInt64(11)), r.NullableString(12), r.IsDBNull(13) ? null : r.GetDouble(13));
        var recent = r.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(v, CultureInfo.InvariantCulture))).ToList();
        var status = new CheckStatus(r.GetString(0), ReasonNames.ParseState(r.GetString(1)), ParseReason(r.GetString(2)), r.Time(3),
            r.GetInt32(4), r.GetInt32(5), r.NullableTime(6), recent, r.GetInt64(8) != 0, last, r.NullableTime(14), r.GetInt64(15) != 0);
        return new StoredCheckStatus(status, r.NullableString(16), r.NullableString(17), r.Time(18));
    }
}
