using System.Data.Common;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

/// <summary>One transaction's view of the repositories, shared by the ADO.NET backends.</summary>
internal sealed class AdoSession : IStoreSession
{
    private readonly AdoAuditLog _audit;

    public AdoSession(DbConnection connection, DbTransaction transaction, bool writable, DateTimeOffset now)
    {
        Now = now;
        _audit = new AdoAuditLog(connection, transaction, writable, () => Now);
        Tokens = new AdoTokenRepository(connection, transaction, () => Now);
        Checks = new AdoCheckRepository(connection, transaction);
        Incidents = new AdoIncidentRepository(connection, transaction);
        Operations = new AdoOperationsRepository(connection, transaction);
        Paging = new AdoPagingRepository(connection, transaction);
    }

    public IAuditLog Audit => _audit;

    public ITokenRepository Tokens { get; }

    public ICheckRepository Checks { get; }

    public IIncidentRepository Incidents { get; }

    public IOperationsRepository Operations { get; }

    public IPagingRepository Paging { get; }

    public DateTimeOffset Now { get; }

    public int AuditEntriesAppended => _audit.Appended;
}
