using System.Data.Common;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

/// <summary>One transaction's view of the repositories, shared by the ADO.NET backends. Dispose it before the transaction.</summary>
internal sealed class AdoSession : IStoreSession, IAsyncDisposable
{
    private readonly DbScope _db;
    private readonly AdoAuditLog _audit;

    public AdoSession(DbConnection connection, DbTransaction transaction, bool writable, DateTimeOffset now, SqlDialect dialect)
    {
        Now = now;
        _db = new DbScope(connection, transaction);
        _audit = new AdoAuditLog(_db, writable, () => Now);
        Tokens = new AdoTokenRepository(_db, () => Now);
        Checks = new AdoCheckRepository(_db);
        Incidents = new AdoIncidentRepository(_db, dialect);
        Operations = new AdoOperationsRepository(connection, transaction);
        Paging = new AdoPagingRepository(connection, transaction, dialect);
        Runbooks = new AdoRunbookRepository(_db);
        Remediations = new AdoRemediationRepository(_db);
        Backups = new AdoBackupRepository(_db);
        Drills = new AdoDrillRepository(_db);
        Journal = new AdoJournalRepository(_db);
        AckLinks = new AdoAckLinkRepository(_db);
        Cluster = new AdoClusterRepository(_db, () => Now);
        Transfer = new AdoStateTransfer(_db, writable, dialect);
    }

    public IAuditLog Audit => _audit;

    public ITokenRepository Tokens { get; }

    public ICheckRepository Checks { get; }

    public IIncidentRepository Incidents { get; }

    public IOperationsRepository Operations { get; }

    public IPagingRepository Paging { get; }

    public IRunbookRepository Runbooks { get; }

    public IRemediationRepository Remediations { get; }
    public IBackupRepository Backups { get; }

    public IDrillRepository Drills { get; }

    public IJournalRepository Journal { get; }

    public IAckLinkRepository AckLinks { get; }

    public IClusterRepository Cluster { get; }

    public IStateTransfer Transfer { get; }

    public DateTimeOffset Now { get; }

    public int AuditEntriesAppended => _audit.Appended;

    /// <summary>The topics raised in this transaction, signalled by the store after it commits.</summary>
    public CommitTopics Raised { get; private set; }

    public void Raise(CommitTopics topics) => Raised |= topics;

    /// <summary>
    /// Refuses the transaction (<see cref="LeaseLostException"/>) when it runs under a <see cref="WriteFence"/> whose lease has
    /// moved on. The stores call it first thing in every write transaction, so the check and the write commit together.
    /// </summary>
    public Task CheckFenceAsync(CancellationToken ct) => WriteFence.Current is { } fence ? Cluster.CheckFenceAsync(fence, ct) : Task.CompletedTask;

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
