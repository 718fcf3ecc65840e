namespace Vigil.Core.Storage;

/// <summary>
/// The store cannot commit or read right now for a reason outside the request: the disk is full,
/// the database is read-only, corrupt or gone. Backends translate their own errors into this one so
/// callers answer 503 (retry later) instead of 500 (a bug), and readiness reports the reason.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
        Reason = "the store is unavailable";
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
        Reason = message;
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>One sentence, safe to show to an unauthenticated caller (no data, no SQL).</summary>
    public string Reason { get; }
}
