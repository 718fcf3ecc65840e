namespace Vigil.Core.Results;

/// <summary>Why an expected request cannot be carried out; the edge maps it to its HTTP status.</summary>
public enum RefusalKind
{
    /// <summary>The thing asked about does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>It exists, but its state does not allow the change now (HTTP 409).</summary>
    Conflict,
}
