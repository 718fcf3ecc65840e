namespace Vigil.Server.Api;

/// <summary>One line of <c>vigil status</c> per service.</summary>
/// <param name="State">Aggregate health, the worst of its checks: <c>ok|warning|critical|unknown|paused</c>
/// (<c>unknown</c> until a check has reported or when the service has no checks; <c>paused</c> when all are paused).</param>
/// <param name="WorstCheck">The check that decides <paramref name="State"/>.</param>
/// <param name="Reason">Its failure reason, when not ok.</param>
/// <param name="Since">Since when it has been in that state.</param>
public sealed record ServiceStatusView(string Id, string Name, string? Owner, int Checks, string State, bool Public, string? WorstCheck = null, string? Reason = null, DateTimeOffset? Since = null);
