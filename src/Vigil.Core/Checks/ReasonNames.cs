namespace Vigil.Core.Checks;

/// <summary>The stable lowercase names of states and reasons used in JSON, the CLI and the store.</summary>
public static class ReasonNames
{
    private static readonly Dictionary<FailureReason, string> Names = new()
    {
        [FailureReason.None] = "none",
        [FailureReason.Dns] = "dns",
        [FailureReason.Connect] = "connect",
        [FailureReason.Tls] = "tls",
        [FailureReason.Timeout] = "timeout",
        [FailureReason.Status] = "status",
        [FailureReason.Body] = "body",
        [FailureReason.Latency] = "latency",
        [FailureReason.Threshold] = "threshold",
        [FailureReason.Exec] = "exec",
        [FailureReason.NoData] = "no_data",
        [FailureReason.Late] = "late",
    };

    private static readonly Dictionary<string, FailureReason> ByName = Names.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static string ToName(FailureReason reason) => Names[reason];

    /// <summary>The reason's name, or null for <see cref="FailureReason.None"/> (how the API shows "no failure").</summary>
    public static string? ToNameOrNull(FailureReason reason) => reason == FailureReason.None ? null : Names[reason];

    public static bool TryParse(string? name, out FailureReason reason) => ByName.TryGetValue(name ?? "", out reason);

    public static string ToName(HealthState state) => state switch
    {
        HealthState.Ok => "ok",
        HealthState.Warning => "warning",
        HealthState.Critical => "critical",
        _ => "unknown",
    };

    public static HealthState ParseState(string? name) => name switch
    {
        "ok" => HealthState.Ok,
        "warning" => HealthState.Warning,
        "critical" => HealthState.Critical,
        _ => HealthState.Unknown,
    };
}
