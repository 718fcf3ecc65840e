using System.Globalization;
using Vigil.Core.Config;

namespace Vigil.Core.Checks;

/// <summary>Pure evaluation of a measured value against a check's <c>warn_/critical_above|below</c>.</summary>
public static class Thresholds
{
    public static ProbeResult Evaluate(CheckConfig check, double value, TimeSpan latency, string what)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (double.IsNaN(value))
        {
            // Prometheus answers NaN for a ratio or quantile over no traffic: that is no data, not ok.
            return ProbeResult.Unknown(FailureReason.NoData, latency, $"{what} is NaN (no data to compute it from)");
        }

        var v = value.ToString("0.####", CultureInfo.InvariantCulture);
        if (check.CriticalAbove is { } ca && value > ca)
        {
            return ProbeResult.Critical(FailureReason.Threshold, latency, $"{what} = {v}, above critical {F(ca)}", value);
        }

        if (check.CriticalBelow is { } cb && value < cb)
        {
            return ProbeResult.Critical(FailureReason.Threshold, latency, $"{what} = {v}, below critical {F(cb)}", value);
        }

        if (check.WarnAbove is { } wa && value > wa)
        {
            return ProbeResult.Warning(FailureReason.Threshold, latency, $"{what} = {v}, above warning {F(wa)}", value);
        }

        if (check.WarnBelow is { } wb && value < wb)
        {
            return ProbeResult.Warning(FailureReason.Threshold, latency, $"{what} = {v}, below warning {F(wb)}", value);
        }

        return ProbeResult.Ok(latency, $"{what} = {v}", value);
    }

    private static string F(double d) => d.ToString("0.####", CultureInfo.InvariantCulture);
}
