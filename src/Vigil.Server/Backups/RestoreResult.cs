namespace Vigil.Server.Backups;

/// <summary>What a restore wrote (or, in a dry run, would write): the files and their sizes, under <see cref="Target"/>.</summary>
internal sealed record RestoreResult(string BackupId, string Target, bool DryRun, IReadOnlyList<(string Name, long Size)> Files, long Bytes);
