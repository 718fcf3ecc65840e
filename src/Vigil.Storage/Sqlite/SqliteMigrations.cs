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
    ];
}
