namespace Vigil.Storage.Ado;

/// <summary>
/// What the SQL of the shared repositories must say differently per backend, kept in one place. The
/// repositories write SQL both SQLite and PostgreSQL understand (see <see cref="Db"/>); where they cannot,
/// they ask their dialect for the fragment instead of testing which backend they run on. The store-level
/// differences (transactions, locking, error translation, migrations) live in each store, not here.
/// </summary>
internal abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    public static readonly SqlDialect Postgres = new PostgresDialect();

    /// <summary>Backend name as in the store URL scheme: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string Name { get; }

    /// <summary>A boolean SQL expression: <paramref name="haystack"/> contains <paramref name="needle"/> (case-sensitive, both SQL expressions).</summary>
    public abstract string Contains(string haystack, string needle);

    /// <summary>
    /// SQL that moves <paramref name="table"/>'s generated ids past the rows inserted with explicit ids (an import), or null
    /// when the backend does that itself (SQLite's AUTOINCREMENT keeps <c>sqlite_sequence</c> at the largest id inserted).
    /// </summary>
    public abstract string? AfterExplicitIds(string table, string column);

    /// <summary>Appended to a <c>SELECT</c> that claims rows: lock them, skipping rows another transaction holds (empty where writes are serialized anyway).</summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// After a table name in <c>FROM</c>: read it through <paramref name="index"/>. SQLite keeps no statistics unless
    /// analyzed and can pick a worse index (empty on PostgreSQL, whose planner has them).
    /// </summary>
    public virtual string IndexedBy(string index) => "";

    private sealed class SqliteDialect : SqlDialect
    {
        public override string Name => "sqlite";

        public override string? AfterExplicitIds(string table, string column) => null;

        // One writer at a time: a claim's read and update are never interleaved with another's.
        public override string SkipLocked => "";

        public override string Contains(string haystack, string needle) => $"instr({haystack}, {needle}) > 0";

        public override string IndexedBy(string index) => " INDEXED BY " + index;
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override string Name => "postgres";

        // An identity column's sequence does not move for explicit ids; without this the next insert collides. For a column
        // without a sequence pg_get_serial_sequence is null and setval (strict) does nothing.
        public override string? AfterExplicitIds(string table, string column) =>
            $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE((SELECT MAX({column}) FROM {table}), 1), (SELECT MAX({column}) FROM {table}) IS NOT NULL)";

        public override string Contains(string haystack, string needle) => $"strpos({haystack}, {needle}) > 0";

        public override string SkipLocked => " FOR UPDATE SKIP LOCKED";
    }
}
