namespace Vigil.Core.Storage;

/// <summary>One check's encoded raw samples for one hour, as stored (null once pruned).</summary>
public sealed record StoredHourRaw(string Key, byte[]? Raw);
