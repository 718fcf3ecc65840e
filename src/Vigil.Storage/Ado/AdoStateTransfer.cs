using System.Runtime.CompilerServices;
using Vigil.Core.Export;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

/// <summary>
/// Export and import over plain SQL: <c>SELECT</c> of the section's columns in its order, and <c>INSERT</c> with named
/// parameters. Table and column names come from <see cref="ExportSections"/>, never from input. Integer columns are
/// read through <see cref="Convert.ToInt64(object)"/>, so a backend that returns int, long or bool reads alike.
/// </summary>
internal sealed class AdoStateTransfer(DbScope db, bool writable, SqlDialect dialect) : IStateTransfer
{
    public async Task<long> CountAsync(ExportSection section, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Convert.ToInt64(await Db.ScalarAsync(db, $"SELECT COUNT(*) FROM {section.Table}", ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(ExportSection section, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(section);
        var sql = $"SELECT {string.Join(", ", section.Columns.Select(c => c.Name))} FROM {section.Table} ORDER BY {section.OrderBy}";
        await using var cmd = Db.Command(db.Connection, db.Transaction, sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var values = new object?[section.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null
                    : section.Columns[i].Kind == ExportColumnKind.Integer ? Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)
                    : reader.GetString(i);
            }

            yield return values;
        }
    }

    public async Task InsertAsync(ExportSection section, IReadOnlyList<ExportColumn> columns, IReadOnlyList<object?> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (!writable)
        {
            throw new InvalidOperationException("Rows can only be imported inside a write transaction.");
        }

        var sql = $"INSERT INTO {section.Table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = new (string, object?)[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = ("@p" + i, values[i]);
        }

        await Db.ExecuteAsync(db, sql, ct, parameters);
    }

    public async Task AfterImportAsync(ExportSection section, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.Column("id") is { Kind: ExportColumnKind.Integer } && dialect.AfterExplicitIds(section.Table, "id") is { } sql)
        {
            await Db.ScalarAsync(db, sql, ct);
        }
    }
}
