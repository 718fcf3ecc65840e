namespace Vigil.Core.Results;

/// <summary>An expected refusal: what kind, and the sentence that says why and how to proceed.</summary>
/// <param name="Kind">Not found or conflict.</param>
/// <param name="Message">For a person: what was refused, why, and what to do instead.</param>
public sealed record Refused(RefusalKind Kind, string Message)
{
    public static Refused NotFound(string what) => new(RefusalKind.NotFound, what);

    public static Refused Conflict(string message) => new(RefusalKind.Conflict, message);
}
