using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

/// <summary>Short names for the probe results the state machine tests feed in.</summary>
internal static class Results
{
    public static ProbeResult Ok(string message = "HTTP 200") =>
        ProbeResult.Ok(TimeSpan.FromMilliseconds(12), message);

    public static ProbeResult Critical(FailureReason reason = FailureReason.Connect, string message = "connection refused") =>
        ProbeResult.Critical(reason, TimeSpan.FromMilliseconds(3), message);

    public static ProbeResult Warning(FailureReason reason = FailureReason.Threshold, string message = "disk = 90, above warning 85") =>
        ProbeResult.Warning(reason, TimeSpan.FromMilliseconds(40), message);

    public static ProbeResult Unknown(FailureReason reason = FailureReason.NoData, string message = "query returned no data") =>
        ProbeResult.Unknown(reason, TimeSpan.FromMilliseconds(25), message);
}
