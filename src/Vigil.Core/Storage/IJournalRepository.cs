using Vigil.Core.Journal;

namespace Vigil.Core.Storage;

/// <summary>The ops journal (storage migration 15): free-text entries by operators, optionally about one service and tagged.</summary>
public interface IJournalRepository
{
    /// <summary>Stores an entry (its id is ignored) and returns it with its id. The caller appends the audit entry in the same transaction.</summary>
    Task<JournalEntry> AddAsync(JournalEntry entry, CancellationToken ct);

    /// <summary>Entries matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<JournalEntry>> ListAsync(JournalQuery query, CancellationToken ct);
}
