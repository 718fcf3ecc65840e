namespace Vigil.Core.Export;

/// <summary>How a column's values are written in an export: a JSON integer or a JSON string.</summary>
public enum ExportColumnKind
{
    Integer,
    Text,
}

/// <summary>One column of an exported table.</summary>
/// <param name="Nullable">True when the value may be JSON null.</param>
public sealed record ExportColumn(string Name, ExportColumnKind Kind, bool Nullable = false);

/// <summary>
/// One section of an export: one store table, its columns as stored, and the order rows are written in
/// (so two exports of the same state are the same bytes apart from the header and signature).
/// </summary>
public sealed record ExportSection(string Name, IReadOnlyList<ExportColumn> Columns, string OrderBy, string Description)
{
    /// <summary>The store table; sections are named after the tables they copy.</summary>
    public string Table => Name;

    public ExportColumn? Column(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}

/// <summary>
/// What an export copies: Vigil's operational state, table by table, in an order where every row comes after
/// the rows it refers to. Left out on purpose (see <see cref="Excluded"/>): check telemetry, which the checks
/// rebuild and which can be large (<c>vigil backup self</c> copies it), console sessions (sign in again), and the
/// store's own bookkeeping. Tokens are copied as stored: name, role, prefix and SHA-256 hash; the store never
/// holds a token's secret.
/// </summary>
public static class ExportSections
{
    private static ExportColumn I(string name) => new(name, ExportColumnKind.Integer);

    private static ExportColumn IN(string name) => new(name, ExportColumnKind.Integer, true);

    private static ExportColumn T(string name) => new(name, ExportColumnKind.Text);

    private static ExportColumn TN(string name) => new(name, ExportColumnKind.Text, true);

    public const string AuditLog = "audit_log";

    public const string AuditHead = "audit_head";

    public const string AuditCheckpoints = "audit_checkpoints";

    public static IReadOnlyList<ExportSection> All { get; } =
    [
        new("api_tokens", [I("id"), T("name"), T("role"), T("prefix"), T("hash"), I("created_at"), T("created_by"), IN("revoked_at")], "id",
            "API tokens: name, role, the first characters and the SHA-256 hash; never the secret"),
        new("incidents", [I("id"), T("title"), T("severity"), TN("service"), T("status"), T("group_key"), T("opened_by"), I("opened_at"),
            IN("acknowledged_at"), IN("mitigated_at"), IN("resolved_at"), IN("closed_at"), IN("ack_due_at"), IN("ack_breached_at"),
            I("auto_resolve"), I("reopened"), TN("commander"), TN("scribe"), TN("assignee"), IN("pir_at"), T("labels")], "id", "Incidents"),
        new("incident_signals", [I("incident_id"), T("dedup_key"), T("source"), T("status"), T("summary"), T("severity"), TN("service"), T("labels"),
            I("first_at"), I("last_at"), IN("resolved_at"), IN("expires_at"), I("fire_count"), TN("inhibited_reason")], "incident_id, dedup_key",
            "The signals grouped into each incident"),
        new("incident_timeline", [I("id"), I("incident_id"), I("at"), T("kind"), T("actor"), T("text")], "id", "Incident timelines"),
        new("incident_checklist", [I("incident_id"), I("number"), T("text"), IN("done_at"), TN("done_by")], "incident_id, number", "Incident checklists"),
        new("incident_actions", [I("id"), I("incident_id"), T("text"), TN("owner"), I("created_at"), T("created_by"), IN("done_at"), TN("done_by")], "id",
            "Post-incident action items"),
        new("escalations", [I("incident_id"), I("generation"), T("severity"), TN("policy_id"), T("status"), TN("reason"), IN("started_at"), I("updated_at"),
            I("resolve_sent")], "incident_id", "Each incident's escalation state"),
        new("escalation_steps", [I("incident_id"), I("step"), I("repeat"), I("due_at"), T("state")], "incident_id, step, repeat", "Escalation step timers"),
        new("notifications", [I("id"), T("key"), I("incident_id"), T("kind"), I("step"), I("repeat"), T("target"), T("notifier_id"), TN("person_id"), T("state"),
            I("attempts"), IN("next_attempt_at"), I("created_at"), I("updated_at"), TN("last_error"), TN("claimed_by"), IN("claimed_until")], "id",
            "The notification ledger (with the sender that holds a due one, and until when)"),
        new("delivery_attempts", [I("id"), I("notification_id"), I("attempt"), I("at"), I("success"), IN("http_status"), TN("reply"), I("latency_ms"), TN("error")], "id",
            "Every delivery attempt of every notification"),
        new("oncall_overrides", [I("id"), T("schedule_id"), T("person_id"), I("starts_at"), I("ends_at"), TN("reason"), T("created_by"), I("created_at"),
            IN("removed_at"), TN("removed_by")], "id", "On-call overrides"),
        new("maintenance_windows", [I("id"), T("services"), I("starts_at"), I("ends_at"), T("reason"), I("blocks_deploys"), T("created_by"), I("created_at"),
            IN("cancelled_at"), TN("cancelled_by")], "id", "Maintenance windows created ad hoc"),
        new("silences", [I("id"), T("matchers"), I("starts_at"), I("ends_at"), T("comment"), T("created_by"), I("created_at"), IN("expired_at"), TN("expired_by")], "id",
            "Silences"),
        new("freezes", [I("id"), TN("service"), T("reason"), T("created_by"), I("created_at"), IN("lifted_at"), TN("lifted_by")], "id", "Change freezes"),
        new("runbook_runs", [I("id"), T("runbook_id"), IN("incident_id"), I("is_drill"), T("request"), T("status"), T("requested_by"), I("created_at"),
            IN("started_at"), IN("ended_at"), TN("approved_by"), IN("approval_expires_at"), IN("waiting_step"), TN("error"), TN("rollback_outcome"), TN("node")], "id",
            "Runbook runs"),
        new("runbook_run_steps", [I("run_id"), I("seq"), I("in_rollback"), I("step_index"), TN("name"), T("status"), IN("exit_code"), I("started_at"), I("ended_at"),
            T("output"), I("output_bytes"), I("truncated")], "run_id, seq", "Runbook run steps and their (redacted) output"),
        new("remediations", [I("id"), I("incident_id"), I("generation"), T("key"), T("origin"), T("runbook"), TN("procedure"), T("outcome"), IN("run_id"),
            T("reason"), I("decided_at"), IN("ended_at")], "id", "Automatic remediation decisions"),
        new("drills", [I("id"), T("runbook"), T("service"), T("status"), T("requested_by"), I("started_at"), IN("injected_at"), IN("detected_at"),
            IN("recovered_at"), IN("ended_at"), I("rto_ms"), IN("incident_id"), IN("window_id"), IN("inject_run_id"), IN("recover_run_id"), IN("verify_run_id"),
            T("reason")], "id", "Recovery drills"),
        new("backups", [T("id"), T("job"), I("created_at"), T("status"), T("destination"), TN("manifest"), TN("error"), IN("verified_at"), IN("verify_ok"),
            TN("verify_error"), IN("pruned_at")], "id", "Backup records with their signed manifests (the artifacts stay at their destinations)"),
        new("backup_events", [I("id"), T("job"), TN("backup_id"), T("kind"), I("at"), I("ok"), T("detail")], "id", "Backup runs, verifications, restores and prunes"),
        new("journal", [I("id"), I("at"), T("author"), T("text"), TN("service")], "id", "The ops journal"),
        new("journal_tags", [I("entry_id"), T("tag")], "entry_id, tag", "Ops journal tags"),
        new(AuditLog, [I("seq"), I("at"), T("actor"), T("action"), T("target"), TN("reason"), TN("before_json"), TN("after_json"), T("prev_hash"), T("hash")], "seq",
            "The hash-chained audit trail"),
        new(AuditHead, [I("id"), I("seq"), T("hash")], "id", "The audit chain's head (its newest entry)"),
        new(AuditCheckpoints, [I("seq"), T("hash"), I("at"), T("key_id"), T("signature")], "seq", "Signed audit checkpoints"),
    ];

    /// <summary>Store tables an export leaves out, and why (a test holds every table to one list or the other).</summary>
    public static IReadOnlyDictionary<string, string> Excluded { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["check_status"] = "check telemetry: rebuilt by the checks",
        ["check_state_changes"] = "check telemetry: rebuilt by the checks",
        ["check_history"] = "check telemetry: large; vigil backup self copies it",
        ["heartbeats"] = "check telemetry: the next ping sets it",
        ["console_sessions"] = "browser sessions: sign in again",
        ["ack_link_keys"] = "the acknowledge-link key: a new store makes its own, so links minted before the copy stop working",
        ["ack_link_uses"] = "used acknowledge links: every link of the old key is void in the new store anyway",
        ["store_probe"] = "the readiness probe's scratch row",
        ["nodes"] = "cluster heartbeats: each node writes its own again",
        ["leases"] = "cluster leases: taken again within one TTL",
        ["schema_migrations"] = "the store's own bookkeeping: the importing store has its own",
    };

    public static ExportSection? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
