namespace Vigil.Core.Config;

/// <summary>The type of a check, given by which type key it sets.</summary>
public enum CheckKind
{
    /// <summary><c>http:</c> request and response assertions.</summary>
    Http,

    /// <summary><c>tcp:</c> connect, send, expect.</summary>
    Tcp,

    /// <summary><c>tls:</c> certificate expiry.</summary>
    Tls,

    /// <summary><c>dns:</c> lookup and expected answers.</summary>
    Dns,

    /// <summary><c>command:</c> exit code or a number against thresholds.</summary>
    Command,

    /// <summary><c>heartbeat:</c> pushed pings with a deadline.</summary>
    Heartbeat,

    /// <summary><c>prometheus:</c> a query value against thresholds.</summary>
    Prometheus,
}
