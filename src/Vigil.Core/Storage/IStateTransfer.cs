using Vigil.Core.Export;

namespace Vigil.Core.Storage;

/// <summary>
/// Whole-table reads and verbatim inserts for <c>vigil export</c> and <c>vigil import</c>, driven by
/// <see cref="ExportSections"/>. Rows keep their ids, so references between tables and the audit trail's
/// targets (<c>incident/42</c>) stay true after an import.
/// </summary>
public interface IStateTransfer
{
    /// <summary>How many rows the section's table holds.</summary>
    Task<long> CountAsync(ExportSection section, CancellationToken ct);

    /// <summary>Every row of the section's table in its order, values as the columns say (long, string or null).</summary>
    IAsyncEnumerable<object?[]> ReadAsync(ExportSection section, CancellationToken ct);

    /// <summary>Inserts one row as it was exported (in a write transaction).</summary>
    Task InsertAsync(ExportSection section, IReadOnlyList<ExportColumn> columns, IReadOnlyList<object?> values, CancellationToken ct);

    /// <summary>After a section's rows were inserted with their ids: new rows get ids after them (a backend's id sequence moves on).</summary>
    Task AfterImportAsync(ExportSection section, CancellationToken ct);
}
