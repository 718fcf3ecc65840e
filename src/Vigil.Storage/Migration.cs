namespace Vigil.Storage;

/// <summary>
/// A forward-only schema step, never edited once released. SQLite's versions are dense from 1; PostgreSQL's start at a
/// baseline that reaches the same version in one step (see PostgresMigrations), then follow SQLite's numbers in lockstep.
/// </summary>
internal sealed record Migration(int Version, string Name, string Sql);
