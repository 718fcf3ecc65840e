namespace Vigil.Core.Backups;

/// <summary>One backup as retention sees it: its id and when it was taken.</summary>
public sealed record RetentionItem(string Id, DateTimeOffset CreatedAt);
