namespace Vigil.Core.Storage;

/// <summary>
/// A write was refused because it collides with what another write stored: a unique key already
/// taken, or (PostgreSQL) a serialization failure that persisted through the store's retries. Nothing
/// of the write was stored. Backends translate their own errors into this one so callers answer 409
/// (a conflict the client can resolve or retry) rather than 500 (a bug).
/// </summary>
public sealed class StoreConflictException : Exception
{
    public StoreConflictException()
    {
        Reason = "the change conflicts with what is already stored";
    }

    public StoreConflictException(string message)
        : base(message)
    {
        Reason = message;
    }

    public StoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>A conflict with concurrent writers that outlasted the store's retries: <paramref name="retryable"/> when sending it again may succeed.</summary>
    public StoreConflictException(string message, Exception innerException, bool retryable)
        : this(message, innerException)
    {
        Retryable = retryable;
    }

    /// <summary>
    /// True when nothing conflicts with the request itself: it lost races with concurrent writers (serialization failures, the
    /// audit chain's next entry) more times than the store retries, and the same request sent again may well succeed. False for
    /// a real duplicate (a unique key the request's own data takes).
    /// </summary>
    public bool Retryable { get; }

    /// <summary>One sentence, safe to show to the caller (a constraint name at most, never row data).</summary>
    public string Reason { get; }
}
