namespace Vigil.Server.Config;

/// <summary>The last reload that was refused, with every error; the previous config stays in force.</summary>
public sealed record ReloadFailure(DateTimeOffset At, IReadOnlyList<string> Errors);
