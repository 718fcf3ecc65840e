namespace Vigil.Storage;

/// <summary>A forward-only schema step. Versions are dense, starting at 1, and never edited once released.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
