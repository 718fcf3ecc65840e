namespace Vigil.Server.Api;

/// <summary>One line of <c>vigil status</c> per service.</summary>
/// <param name="State">Aggregate health: <c>ok|warning|critical|unknown|paused</c>. Until a check has reported it is <c>unknown</c>.</param>
public sealed record ServiceStatusView(string Id, string Name, string? Owner, int Checks, string State, bool Public);
