namespace Vigil.Core.Storage;

/// <summary>One check's results summed over one UTC day of hourly history: how many, and how many failed.</summary>
/// <param name="Day">Midnight UTC that starts the day.</param>
public sealed record DailyTotal(string Key, DateTimeOffset Day, long Count, long Failures);
