using System.Data.Common;
using System.Globalization;
using Vigil.Core.Escalation;
using Vigil.Core.Notifications;
using Vigil.Core.OnCall;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoPagingRepository(DbConnection connection, DbTransaction transaction, SqlDialect dialect) : IPagingRepository
{
    private const string NotificationColumns =
        "id, key, incident_id, kind, step, repeat, target, notifier_id, person_id, state, attempts, next_attempt_at, created_at, updated_at, last_error";

    public async Task<EscalationRecord?> GetEscalationAsync(long incidentId, CancellationToken ct) =>
        (await Db.QueryAsync(connection, transaction,
            "SELECT incident_id, generation, severity, policy_id, status, reason, started_at, updated_at, resolve_sent FROM escalations WHERE incident_id = @i",
            r => new EscalationRecord(r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.NullableString(3), Enum.Parse<EscalationStatus>(r.GetString(4), ignoreCase: true),
                r.NullableString(5), r.NullableTime(6), r.Time(7), r.GetInt64(8) != 0), ct, ("@i", incidentId))).FirstOrDefault();

    public Task UpsertEscalationAsync(EscalationRecord e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Db.ExecuteAsync(connection, transaction, """
            INSERT INTO escalations (incident_id, generation, severity, policy_id, status, reason, started_at, updated_at, resolve_sent)
            VALUES (@i, @g, @sev, @p, @s, @r, @start, @updated, @rs)
            ON CONFLICT (incident_id) DO UPDATE SET generation = excluded.generation, severity = excluded.severity, policy_id = excluded.policy_id,
                status = excluded.status, reason = excluded.reason,
                started_at = excluded.started_at, updated_at = excluded.updated_at, resolve_sent = excluded.resolve_sent
            """, ct,
            ("@i", e.IncidentId), ("@g", e.Generation), ("@sev", e.Severity), ("@p", e.PolicyId), ("@s", e.Status.ToString().ToLowerInvariant()), ("@r", e.Reason),
            ("@start", e.StartedAt is { } s ? Db.Millis(s) : null), ("@updated", Db.Millis(e.UpdatedAt)), ("@rs", e.ResolveSent ? 1 : 0));
    }

    public async Task<IReadOnlyList<long>> ListIncidentsToEvaluateAsync(int limit, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction, """
            SELECT i.id FROM incidents i LEFT JOIN escalations e ON e.incident_id = i.id
            WHERE i.status = 'triggered'
              AND (e.incident_id IS NULL OR e.generation <> i.reopened OR (e.status = 'none' AND e.severity <> i.severity))
            ORDER BY CASE WHEN e.incident_id IS NULL THEN 0 ELSE 1 END, i.id LIMIT @limit
            """, r => r.GetInt64(0), ct, ("@limit", limit));

    public async Task<IReadOnlyList<long>> ListHeldAsync(long afterId, int limit, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction, """
            SELECT i.id FROM incidents i JOIN escalations e ON e.incident_id = i.id
            WHERE i.status = 'triggered' AND e.status = 'held' AND e.generation = i.reopened AND i.id > @after
            ORDER BY i.id LIMIT @limit
            """, r => r.GetInt64(0), ct, ("@after", afterId), ("@limit", limit));

    public async Task<IReadOnlyList<long>> ListEscalationsToStopAsync(int limit, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction, """
            SELECT e.incident_id FROM escalations e JOIN incidents i ON i.id = e.incident_id
            WHERE (e.status = 'running' AND i.status <> 'triggered')
               OR (e.resolve_sent = 0 AND e.status IN ('running', 'stopped') AND i.status IN ('resolved', 'closed'))
            ORDER BY e.incident_id LIMIT @limit
            """, r => r.GetInt64(0), ct, ("@limit", limit));

    public async Task AddStepsAsync(long incidentId, IReadOnlyList<EscalationStepPlan> steps, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var s in steps)
        {
            await Db.ExecuteAsync(connection, transaction,
                "INSERT INTO escalation_steps (incident_id, step, repeat, due_at, state) VALUES (@i, @s, @r, @due, 'pending') ON CONFLICT DO NOTHING", ct,
                ("@i", incidentId), ("@s", s.Step), ("@r", s.Repeat), ("@due", Db.Millis(s.DueAt)));
        }
    }

    public Task DeleteStepsAsync(long incidentId, CancellationToken ct) =>
        Db.ExecuteAsync(connection, transaction, "DELETE FROM escalation_steps WHERE incident_id = @i", ct, ("@i", incidentId));

    public async Task<IReadOnlyList<EscalationStepRecord>> ListDueStepsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction,
            "SELECT incident_id, step, repeat, due_at, state FROM escalation_steps WHERE state = 'pending' AND due_at <= @now ORDER BY due_at, incident_id LIMIT @limit",
            r => new EscalationStepRecord(r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), r.Time(3), Enum.Parse<EscalationStepState>(r.GetString(4), ignoreCase: true)), ct, ("@now", Db.Millis(now)), ("@limit", limit));

    public Task SetStepStateAsync(long incidentId, int step, int repeat, EscalationStepState state, CancellationToken ct) =>
        Db.ExecuteAsync(connection, transaction, "UPDATE escalation_steps SET state = @state WHERE incident_id = @i AND step = @s AND repeat = @r", ct,
            ("@state", state.ToString().ToLowerInvariant()), ("@i", incidentId), ("@s", step), ("@r", repeat));

    public Task<int> CancelPendingStepsAsync(long incidentId, CancellationToken ct) =>
        Db.ExecuteAsync(connection, transaction, "UPDATE escalation_steps SET state = 'cancelled' WHERE incident_id = @i AND state = 'pending'", ct, ("@i", incidentId));

    public async Task<NotificationRecord?> AddNotificationAsync(NotificationRecord n, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(n);
        var id = await Db.ScalarAsync(connection, transaction, $"""
            INSERT INTO notifications ({NotificationColumns[4..]})
            VALUES (@key, @i, @kind, @step, @repeat, @target, @notifier, @person, @state, @attempts, @next, @created, @updated, @error)
            ON CONFLICT (key) DO NOTHING
            RETURNING id
            """, ct, [.. Parameters(n)]);
        return id is null ? null : n with { Id = Convert.ToInt64(id, CultureInfo.InvariantCulture) };
    }

    public Task UpdateNotificationAsync(NotificationRecord n, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(n);
        return Db.ExecuteAsync(connection, transaction,
            "UPDATE notifications SET state = @state, attempts = @attempts, next_attempt_at = @next, updated_at = @updated, last_error = @error, "
            + "claimed_by = NULL, claimed_until = NULL WHERE id = @id", ct,
            [.. Parameters(n), ("@id", n.Id)]);
    }

    public async Task<IReadOnlyList<NotificationRecord>> ClaimDueNotificationsAsync(DateTimeOffset now, DateTimeOffset until, string claimant, int limit,
        CancellationToken ct)
    {
        var due = await Db.QueryAsync(connection, transaction,
            $"SELECT {NotificationColumns} FROM notifications WHERE {Claimable} ORDER BY next_attempt_at, id LIMIT @limit{dialect.SkipLocked}",
            Map, ct, ("@now", Db.Millis(now)), ("@limit", limit));
        foreach (var n in due)
        {
            await Db.ExecuteAsync(connection, transaction, "UPDATE notifications SET claimed_by = @by, claimed_until = @until WHERE id = @id", ct,
                ("@by", claimant), ("@until", Db.Millis(until)), ("@id", n.Id));
        }

        return due;
    }

    public async Task<bool> AnyClaimableNotificationAsync(DateTimeOffset now, CancellationToken ct) =>
        await Db.ScalarAsync(connection, transaction, $"SELECT 1 FROM notifications WHERE {Claimable} LIMIT 1", ct, ("@now", Db.Millis(now))) is not null;

    /// <summary>A notification due at <c>@now</c> that no sender holds a live claim on.</summary>
    private const string Claimable = "state = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)";

    public async Task<IReadOnlyList<NotificationRecord>> ListNotificationsAsync(long? incidentId, bool failedOnly, int limit, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction,
            $"SELECT {NotificationColumns} FROM notifications WHERE (incident_id = @i OR @i IS NULL) AND (@failed = 0 OR state = 'failed' OR last_error IS NOT NULL) ORDER BY id DESC LIMIT @limit",
            Map, ct, ("@i", incidentId), ("@failed", failedOnly ? 1 : 0), ("@limit", limit));

    public Task AddAttemptAsync(DeliveryAttempt a, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Db.ExecuteAsync(connection, transaction, """
            INSERT INTO delivery_attempts (notification_id, attempt, at, success, http_status, reply, latency_ms, error)
            VALUES (@n, @a, @at, @ok, @status, @reply, @latency, @error)
            """, ct,
            ("@n", a.NotificationId), ("@a", a.Attempt), ("@at", Db.Millis(a.At)), ("@ok", a.Success ? 1 : 0), ("@status", a.HttpStatus), ("@reply", a.Reply),
            ("@latency", a.LatencyMs), ("@error", a.Error));
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(long notificationId, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction,
            "SELECT id, notification_id, attempt, at, success, http_status, reply, latency_ms, error FROM delivery_attempts WHERE notification_id = @n ORDER BY attempt, id",
            r => new DeliveryAttempt(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.Time(3), r.GetInt64(4) != 0, r.IsDBNull(5) ? null : r.GetInt32(5),
                r.NullableString(6), r.GetInt64(7), r.NullableString(8)), ct, ("@n", notificationId));

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        var step = await Db.ScalarAsync(connection, transaction, "SELECT MIN(due_at) FROM escalation_steps WHERE state = 'pending'", ct);
        var notification = await Db.ScalarAsync(connection, transaction, "SELECT MIN(next_attempt_at) FROM notifications WHERE state = 'pending'", ct);
        var times = new[] { step, notification }.Where(v => v is not null).Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToList();
        return times.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(times.Min());
    }

    public async Task<OnCallOverride> AddOverrideAsync(string scheduleId, string personId, DateTimeOffset from, DateTimeOffset to, string? reason, string createdBy,
        DateTimeOffset at, CancellationToken ct)
    {
        var id = Convert.ToInt64(await Db.ScalarAsync(connection, transaction, """
            INSERT INTO oncall_overrides (schedule_id, person_id, starts_at, ends_at, reason, created_by, created_at)
            VALUES (@s, @p, @from, @to, @r, @by, @at) RETURNING id
            """, ct, ("@s", scheduleId), ("@p", personId), ("@from", Db.Millis(from)), ("@to", Db.Millis(to)), ("@r", reason), ("@by", createdBy), ("@at", Db.Millis(at))),
            CultureInfo.InvariantCulture);
        return new OnCallOverride(id, scheduleId, personId, from, to, reason, createdBy);
    }

    public async Task<IReadOnlyList<OnCallOverride>> ListOverridesAsync(DateTimeOffset endingAfter, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction,
            "SELECT id, schedule_id, person_id, starts_at, ends_at, reason, created_by FROM oncall_overrides WHERE removed_at IS NULL AND ends_at > @after ORDER BY starts_at, id",
            r => new OnCallOverride(r.GetInt64(0), r.GetString(1), r.GetString(2), r.Time(3), r.Time(4), r.NullableString(5), r.GetString(6)), ct,
            ("@after", Db.Millis(endingAfter)));

    public async Task<bool> RemoveOverrideAsync(long id, string removedBy, DateTimeOffset at, CancellationToken ct) =>
        await Db.ExecuteAsync(connection, transaction, "UPDATE oncall_overrides SET removed_at = @at, removed_by = @by WHERE id = @id AND removed_at IS NULL", ct,
            ("@at", Db.Millis(at)), ("@by", removedBy), ("@id", id)) > 0;

    private static (string, object?)[] Parameters(NotificationRecord n) =>
    [
        ("@key", n.Key), ("@i", n.IncidentId), ("@kind", n.Kind.ToString().ToLowerInvariant()), ("@step", n.Step), ("@repeat", n.Repeat), ("@target", n.Target),
        ("@notifier", n.NotifierId), ("@person", n.PersonId), ("@state", n.State.ToString().ToLowerInvariant()), ("@attempts", n.Attempts),
        ("@next", n.NextAttemptAt is { } t ? Db.Millis(t) : null), ("@created", Db.Millis(n.CreatedAt)), ("@updated", Db.Millis(n.UpdatedAt)), ("@error", n.LastError),
    ];

    private static NotificationRecord Map(DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetInt64(2), Enum.Parse<NotificationKind>(r.GetString(3), ignoreCase: true), r.GetInt32(4), r.GetInt32(5), r.GetString(6),
            r.GetString(7), r.NullableString(8), Enum.Parse<NotificationState>(r.GetString(9), ignoreCase: true), r.GetInt32(10), r.NullableTime(11), r.Time(12), r.Time(13),
            r.NullableString(14));
}
