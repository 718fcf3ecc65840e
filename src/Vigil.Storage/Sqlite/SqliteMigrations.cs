namespace Vigil.Storage.Sqlite;

/// <summary>The SQLite schema, as numbered forward-only steps. Append; never edit a released step.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "tokens and audit", """
            CREATE TABLE api_tokens (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                name        TEXT    NOT NULL,
                role        TEXT    NOT NULL,
                prefix      TEXT    NOT NULL,
                hash        TEXT    NOT NULL UNIQUE,
                created_at  INTEGER NOT NULL,
                created_by  TEXT    NOT NULL,
                revoked_at  INTEGER NULL
            );
            CREATE UNIQUE INDEX ux_api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL;

            CREATE TABLE audit_log (
                seq         INTEGER PRIMARY KEY,
                at          INTEGER NOT NULL,
                actor       TEXT    NOT NULL,
                action      TEXT    NOT NULL,
                target      TEXT    NOT NULL,
                reason      TEXT    NULL,
                before_json TEXT    NULL,
                after_json  TEXT    NULL,
                prev_hash   TEXT    NOT NULL,
                hash        TEXT    NOT NULL
            );
            CREATE INDEX ix_audit_log_at ON audit_log (at);

            CREATE TABLE audit_head (
                id   INTEGER PRIMARY KEY CHECK (id = 1),
                seq  INTEGER NOT NULL,
                hash TEXT    NOT NULL
            );
            """),
        new(2, "checks: status, state changes, hourly history, heartbeats", """
            CREATE TABLE check_status (
                key                  TEXT    PRIMARY KEY,
                state                TEXT    NOT NULL,
                reason               TEXT    NOT NULL,
                since                INTEGER NOT NULL,
                consecutive_failures INTEGER NOT NULL,
                consecutive_passes   INTEGER NOT NULL,
                streak_since         INTEGER NULL,
                recent_changes       TEXT    NOT NULL,
                flapping             INTEGER NOT NULL,
                last_state           TEXT    NULL,
                last_reason          TEXT    NULL,
                last_latency_ms      INTEGER NULL,
                last_message         TEXT    NULL,
                last_value           REAL    NULL,
                last_at              INTEGER NULL,
                paused               INTEGER NOT NULL,
                paused_by            TEXT    NULL,
                paused_reason        TEXT    NULL,
                watching_since       INTEGER NOT NULL
            );

            CREATE TABLE check_state_changes (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                key        TEXT    NOT NULL,
                from_state TEXT    NOT NULL,
                to_state   TEXT    NOT NULL,
                reason     TEXT    NOT NULL,
                at         INTEGER NOT NULL,
                message    TEXT    NULL,
                flapping   INTEGER NOT NULL
            );
            CREATE INDEX ix_check_state_changes_key_at ON check_state_changes (key, at);

            CREATE TABLE check_history (
                key         TEXT    NOT NULL,
                hour        INTEGER NOT NULL,
                count       INTEGER NOT NULL,
                failures    INTEGER NOT NULL,
                reasons     TEXT    NOT NULL,
                lat_min     INTEGER NOT NULL,
                lat_avg     INTEGER NOT NULL,
                lat_max     INTEGER NOT NULL,
                lat_p95     INTEGER NOT NULL,
                minutes     BLOB    NOT NULL,
                raw         BLOB    NULL,
                PRIMARY KEY (key, hour)
            );
            CREATE INDEX ix_check_history_hour ON check_history (hour);

            CREATE TABLE heartbeats (
                key            TEXT    PRIMARY KEY,
                last_success   INTEGER NULL,
                last_ping_kind TEXT    NULL,
                last_ping_at   INTEGER NULL,
                last_exit_code INTEGER NULL
            );
            """),
        new(3, "incidents: incidents, signals, timeline, checklists, action items", """
            CREATE TABLE incidents (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                title            TEXT    NOT NULL,
                severity         TEXT    NOT NULL,
                service          TEXT    NULL,
                status           TEXT    NOT NULL,
                group_key        TEXT    NOT NULL,
                opened_by        TEXT    NOT NULL,
                opened_at        INTEGER NOT NULL,
                acknowledged_at  INTEGER NULL,
                mitigated_at     INTEGER NULL,
                resolved_at      INTEGER NULL,
                closed_at        INTEGER NULL,
                ack_due_at       INTEGER NULL,
                ack_breached_at  INTEGER NULL,
                auto_resolve     INTEGER NOT NULL,
                reopened         INTEGER NOT NULL,
                commander        TEXT    NULL,
                scribe           TEXT    NULL,
                assignee         TEXT    NULL,
                pir_at           INTEGER NULL,
                labels           TEXT    NOT NULL
            );
            CREATE INDEX ix_incidents_group ON incidents (group_key, id);
            CREATE INDEX ix_incidents_open ON incidents (status, service);
            CREATE INDEX ix_incidents_opened_at ON incidents (opened_at);
            CREATE INDEX ix_incidents_ack_due ON incidents (ack_due_at) WHERE ack_breached_at IS NULL AND status = 'triggered';

            CREATE TABLE incident_signals (
                incident_id      INTEGER NOT NULL REFERENCES incidents (id),
                dedup_key        TEXT    NOT NULL,
                source           TEXT    NOT NULL,
                status           TEXT    NOT NULL,
                summary          TEXT    NOT NULL,
                severity         TEXT    NOT NULL,
                service          TEXT    NULL,
                labels           TEXT    NOT NULL,
                first_at         INTEGER NOT NULL,
                last_at          INTEGER NOT NULL,
                resolved_at      INTEGER NULL,
                expires_at       INTEGER NULL,
                fire_count       INTEGER NOT NULL,
                inhibited_reason TEXT    NULL,
                PRIMARY KEY (incident_id, dedup_key)
            );
            CREATE INDEX ix_incident_signals_key ON incident_signals (dedup_key, incident_id);
            CREATE INDEX ix_incident_signals_expiry ON incident_signals (expires_at) WHERE status = 'firing' AND expires_at IS NOT NULL;

            CREATE TABLE incident_timeline (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                incident_id INTEGER NOT NULL REFERENCES incidents (id),
                at          INTEGER NOT NULL,
                kind        TEXT    NOT NULL,
                actor       TEXT    NOT NULL,
                text        TEXT    NOT NULL
            );
            CREATE INDEX ix_incident_timeline_incident ON incident_timeline (incident_id, at);

            CREATE TABLE incident_checklist (
                incident_id INTEGER NOT NULL REFERENCES incidents (id),
                number      INTEGER NOT NULL,
                text        TEXT    NOT NULL,
                done_at     INTEGER NULL,
                done_by     TEXT    NULL,
                PRIMARY KEY (incident_id, number)
            );

            CREATE TABLE incident_actions (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                incident_id INTEGER NOT NULL REFERENCES incidents (id),
                text        TEXT    NOT NULL,
                owner       TEXT    NULL,
                created_at  INTEGER NOT NULL,
                created_by  TEXT    NOT NULL,
                done_at     INTEGER NULL,
                done_by     TEXT    NULL
            );
            CREATE INDEX ix_incident_actions_incident ON incident_actions (incident_id);
            """),
        new(4, "operations: freezes and ad-hoc maintenance windows", """
            CREATE TABLE freezes (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                service     TEXT    NULL,
                reason      TEXT    NOT NULL,
                created_by  TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                lifted_at   INTEGER NULL,
                lifted_by   TEXT    NULL
            );
            CREATE INDEX ix_freezes_active ON freezes (service) WHERE lifted_at IS NULL;

            CREATE TABLE maintenance_windows (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                services       TEXT    NOT NULL,
                starts_at      INTEGER NOT NULL,
                ends_at        INTEGER NOT NULL,
                reason         TEXT    NOT NULL,
                blocks_deploys INTEGER NOT NULL,
                created_by     TEXT    NOT NULL,
                created_at     INTEGER NOT NULL,
                cancelled_at   INTEGER NULL,
                cancelled_by   TEXT    NULL
            );
            CREATE INDEX ix_maintenance_windows_ends ON maintenance_windows (ends_at) WHERE cancelled_at IS NULL;
            """),
        new(5, "paging: escalations, step timers, notification ledger, on-call overrides", """
            CREATE TABLE escalations (
                incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id),
                generation   INTEGER NOT NULL,
                severity     TEXT    NOT NULL,
                policy_id    TEXT    NULL,
                status       TEXT    NOT NULL,
                reason       TEXT    NULL,
                started_at   INTEGER NULL,
                updated_at   INTEGER NOT NULL,
                resolve_sent INTEGER NOT NULL
            );
            CREATE INDEX ix_escalations_status ON escalations (status);

            CREATE TABLE escalation_steps (
                incident_id INTEGER NOT NULL REFERENCES incidents (id),
                step        INTEGER NOT NULL,
                repeat      INTEGER NOT NULL,
                due_at      INTEGER NOT NULL,
                state       TEXT    NOT NULL,
                PRIMARY KEY (incident_id, step, repeat)
            );
            CREATE INDEX ix_escalation_steps_due ON escalation_steps (due_at) WHERE state = 'pending';

            CREATE TABLE notifications (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                key             TEXT    NOT NULL UNIQUE,
                incident_id     INTEGER NOT NULL REFERENCES incidents (id),
                kind            TEXT    NOT NULL,
                step            INTEGER NOT NULL,
                repeat          INTEGER NOT NULL,
                target          TEXT    NOT NULL,
                notifier_id     TEXT    NOT NULL,
                person_id       TEXT    NULL,
                state           TEXT    NOT NULL,
                attempts        INTEGER NOT NULL,
                next_attempt_at INTEGER NULL,
                created_at      INTEGER NOT NULL,
                updated_at      INTEGER NOT NULL,
                last_error      TEXT    NULL
            );
            CREATE INDEX ix_notifications_due ON notifications (next_attempt_at) WHERE state = 'pending';
            CREATE INDEX ix_notifications_incident ON notifications (incident_id);

            CREATE TABLE delivery_attempts (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                notification_id INTEGER NOT NULL REFERENCES notifications (id),
                attempt         INTEGER NOT NULL,
                at              INTEGER NOT NULL,
                success         INTEGER NOT NULL,
                http_status     INTEGER NULL,
                reply           TEXT    NULL,
                latency_ms      INTEGER NOT NULL,
                error           TEXT    NULL
            );
            CREATE INDEX ix_delivery_attempts_notification ON delivery_attempts (notification_id);

            CREATE TABLE oncall_overrides (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                schedule_id TEXT    NOT NULL,
                person_id   TEXT    NOT NULL,
                starts_at   INTEGER NOT NULL,
                ends_at     INTEGER NOT NULL,
                reason      TEXT    NULL,
                created_by  TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                removed_at  INTEGER NULL,
                removed_by  TEXT    NULL
            );
            CREATE INDEX ix_oncall_overrides_ends ON oncall_overrides (ends_at) WHERE removed_at IS NULL;
            """),
        new(6, "silences", """
            CREATE TABLE silences (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                matchers    TEXT    NOT NULL,
                starts_at   INTEGER NOT NULL,
                ends_at     INTEGER NOT NULL,
                comment     TEXT    NOT NULL,
                created_by  TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                expired_at  INTEGER NULL,
                expired_by  TEXT    NULL
            );
            CREATE INDEX ix_silences_ends ON silences (ends_at) WHERE expired_at IS NULL;
            """),
        new(7, "runbook runs and their steps", """
            CREATE TABLE runbook_runs (
                id                  INTEGER PRIMARY KEY AUTOINCREMENT,
                runbook_id          TEXT    NOT NULL,
                incident_id         INTEGER NULL,
                is_drill            INTEGER NOT NULL,
                request             TEXT    NOT NULL,
                status              TEXT    NOT NULL,
                requested_by        TEXT    NOT NULL,
                created_at          INTEGER NOT NULL,
                started_at          INTEGER NULL,
                ended_at            INTEGER NULL,
                approved_by         TEXT    NULL,
                approval_expires_at INTEGER NULL,
                waiting_step        INTEGER NULL,
                error               TEXT    NULL,
                rollback_outcome    TEXT    NULL
            );
            CREATE INDEX ix_runbook_runs_runbook ON runbook_runs (runbook_id, id);
            CREATE INDEX ix_runbook_runs_incident ON runbook_runs (incident_id) WHERE incident_id IS NOT NULL;
            CREATE INDEX ix_runbook_runs_unfinished ON runbook_runs (status) WHERE status IN ('pending_approval', 'running', 'waiting');

            CREATE TABLE runbook_run_steps (
                run_id       INTEGER NOT NULL REFERENCES runbook_runs (id),
                seq          INTEGER NOT NULL,
                in_rollback  INTEGER NOT NULL,
                step_index   INTEGER NOT NULL,
                name         TEXT    NULL,
                status       TEXT    NOT NULL,
                exit_code    INTEGER NULL,
                started_at   INTEGER NOT NULL,
                ended_at     INTEGER NOT NULL,
                output       TEXT    NOT NULL,
                output_bytes INTEGER NOT NULL,
                truncated    INTEGER NOT NULL,
                PRIMARY KEY (run_id, seq)
            );
            """),
        new(8, "store probe: the row readiness rewrites to prove the store can commit", """
            CREATE TABLE store_probe (
                id        INTEGER PRIMARY KEY CHECK (id = 1),
                probed_at INTEGER NOT NULL,
                ballast   BLOB    NULL
            );
            """),
        new(9, "console sessions: the hash of each signed-in browser session, tied to the token that signed in", """
            CREATE TABLE console_sessions (
                hash       TEXT    PRIMARY KEY,
                token_id   INTEGER NOT NULL REFERENCES api_tokens (id),
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX ix_console_sessions_token ON console_sessions (token_id);
            """),
        // The status page sums 90 days of rollups per check and day at start; with count and failures in the
        // index that sum reads the index alone (about a tenth of the table, which holds the minute blobs).
        // The new index still leads with hour, so pruning and the start-up read of one hour use it as before.
        new(10, "check history: an hour index that also covers the daily uptime totals", """
            DROP INDEX ix_check_history_hour;
            CREATE INDEX ix_check_history_hour_totals ON check_history (hour, key, count, failures);
            """),
        // Signed statements of the audit chain's head (see AuditCheckpoint): one per checkpointed entry.
        new(11, "audit checkpoints: the chain head signed every N entries and at least every minute", """
            CREATE TABLE audit_checkpoints (
                seq       INTEGER PRIMARY KEY,
                hash      TEXT    NOT NULL,
                at        INTEGER NOT NULL,
                key_id    TEXT    NOT NULL,
                signature TEXT    NOT NULL
            );
            """),
        new(12, "remediations: one automatic remediation decision per incident opening, its run and outcome", """
            CREATE TABLE remediations (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                incident_id INTEGER NOT NULL REFERENCES incidents (id),
                generation  INTEGER NOT NULL,
                key         TEXT    NOT NULL,
                origin      TEXT    NOT NULL,
                runbook     TEXT    NOT NULL,
                procedure   TEXT    NULL,
                outcome     TEXT    NOT NULL,
                run_id      INTEGER NULL REFERENCES runbook_runs (id),
                reason      TEXT    NOT NULL,
                decided_at  INTEGER NOT NULL,
                ended_at    INTEGER NULL,
                UNIQUE (incident_id, generation)
            );
            CREATE INDEX ix_remediations_key ON remediations (key, decided_at);
            CREATE INDEX ix_remediations_running ON remediations (id) WHERE outcome = 'running';
            """),
        new(13, "backups: one row per attempt with its signed manifest, and each job's events (runs, verifications, restores, restore tests, prunes)", """
            CREATE TABLE backups (
                id           TEXT    PRIMARY KEY,
                job          TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                status       TEXT    NOT NULL,
                destination  TEXT    NOT NULL,
                manifest     TEXT    NULL,
                error        TEXT    NULL,
                verified_at  INTEGER NULL,
                verify_ok    INTEGER NULL,
                verify_error TEXT    NULL,
                pruned_at    INTEGER NULL
            );
            CREATE INDEX ix_backups_job ON backups (job, created_at);

            CREATE TABLE backup_events (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                job       TEXT    NOT NULL,
                backup_id TEXT    NULL,
                kind      TEXT    NOT NULL,
                at        INTEGER NOT NULL,
                ok        INTEGER NOT NULL,
                detail    TEXT    NOT NULL
            );
            CREATE INDEX ix_backup_events_job ON backup_events (job, id);
            """),
        new(14, "drills: one row per fault-injection drill with its phases' times, runs, window and verdict", """
            CREATE TABLE drills (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                runbook        TEXT    NOT NULL,
                service        TEXT    NOT NULL,
                status         TEXT    NOT NULL,
                requested_by   TEXT    NOT NULL,
                started_at     INTEGER NOT NULL,
                injected_at    INTEGER NULL,
                detected_at    INTEGER NULL,
                recovered_at   INTEGER NULL,
                ended_at       INTEGER NULL,
                rto_ms         INTEGER NOT NULL,
                incident_id    INTEGER NULL,
                window_id      INTEGER NULL,
                inject_run_id  INTEGER NULL,
                recover_run_id INTEGER NULL,
                verify_run_id  INTEGER NULL,
                reason         TEXT    NOT NULL
            );
            CREATE INDEX ix_drills_service ON drills (service, id);
            """),
        new(15, "ops journal: operators' entries with an optional service, and their tags", """
            CREATE TABLE journal (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                at      INTEGER NOT NULL,
                author  TEXT    NOT NULL,
                text    TEXT    NOT NULL,
                service TEXT    NULL
            );
            CREATE INDEX ix_journal_at ON journal (at);
            CREATE INDEX ix_journal_service ON journal (service, at);

            CREATE TABLE journal_tags (
                entry_id INTEGER NOT NULL REFERENCES journal (id),
                tag      TEXT    NOT NULL,
                PRIMARY KEY (entry_id, tag)
            );
            CREATE INDEX ix_journal_tags_tag ON journal_tags (tag, entry_id);
            """),
        new(16, "ack links: the installation's acknowledge-link key and the links already used", """
            CREATE TABLE ack_link_keys (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                key        TEXT    NOT NULL,
                created_at INTEGER NOT NULL
            );

            CREATE TABLE ack_link_uses (
                token_id    TEXT    PRIMARY KEY,
                incident_id INTEGER NOT NULL,
                person_id   TEXT    NOT NULL,
                used_at     INTEGER NOT NULL
            );
            CREATE INDEX ix_ack_link_uses_incident ON ack_link_uses (incident_id);
            """),
        new(17, "cluster: node heartbeats, and leases with fencing tokens", """
            CREATE TABLE nodes (
                id             TEXT    PRIMARY KEY,
                address        TEXT    NOT NULL,
                version        TEXT    NOT NULL,
                started_at     INTEGER NOT NULL,
                last_heartbeat INTEGER NOT NULL,
                config_digest  TEXT    NOT NULL
            );

            CREATE TABLE leases (
                name        TEXT    PRIMARY KEY,
                holder      TEXT    NOT NULL,
                token       INTEGER NOT NULL,
                acquired_at INTEGER NOT NULL,
                expires_at  INTEGER NOT NULL
            );
            """),
        new(18, "notification claims: the sender that holds a due notification, and until when", """
            ALTER TABLE notifications ADD COLUMN claimed_by TEXT NULL;
            ALTER TABLE notifications ADD COLUMN claimed_until INTEGER NULL;
            """),
        new(19, "node readiness: why a node is not ready, as of its last heartbeat (null when ready)", """
            ALTER TABLE nodes ADD COLUMN not_ready TEXT NULL;
            """),
        new(20, "runbook runs: the node that executes a run, so a cluster's leader can end the runs of a dead node", """
            ALTER TABLE runbook_runs ADD COLUMN node TEXT NULL;
            """),
    ];
}
