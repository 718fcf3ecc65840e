namespace Vigil.Server.Api;

/// <summary>Body of pause and resume: why (recorded in the audit trail).</summary>
public sealed record PauseRequest(string? Reason);
