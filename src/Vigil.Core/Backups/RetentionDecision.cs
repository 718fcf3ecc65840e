namespace Vigil.Core.Backups;

/// <summary>Whether retention keeps a backup, and which rules keep it (like <c>last</c>, <c>daily 2026-03-01</c>).</summary>
public sealed record RetentionDecision(string Id, DateTimeOffset CreatedAt, bool Keep, IReadOnlyList<string> Reasons);
