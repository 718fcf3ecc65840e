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
    ];
}
