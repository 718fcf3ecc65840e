namespace Vigil.Core.Checks;

/// <summary>
/// Why a probe did not pass: a fixed taxonomy so scripts, rollups and alerts can rely on it.
/// JSON and CLI use the lowercase names (<c>no_data</c>).
/// </summary>
public enum FailureReason
{
    /// <summary>The probe passed.</summary>
    None = 0,

    /// <summary>The name did not resolve, or resolved to unexpected answers.</summary>
    Dns,

    /// <summary>The connection was refused, reset or unreachable.</summary>
    Connect,

    /// <summary>The TLS handshake failed, the certificate is invalid, or it expires soon.</summary>
    Tls,

    /// <summary>No answer within the check's timeout.</summary>
    Timeout,

    /// <summary>An unexpected HTTP status.</summary>
    Status,

    /// <summary>The body did not match (substring, regex or JSON assertion), or a TCP expect failed.</summary>
    Body,

    /// <summary>Answered, but slower than <c>max_latency</c>.</summary>
    Latency,

    /// <summary>A measured value crossed a warning or critical threshold.</summary>
    Threshold,

    /// <summary>A command could not start, exited non-zero, or printed no number.</summary>
    Exec,

    /// <summary>A query returned no data.</summary>
    NoData,

    /// <summary>A heartbeat did not arrive within its period plus grace.</summary>
    Late,
}
