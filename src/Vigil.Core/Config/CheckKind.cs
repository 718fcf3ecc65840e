namespace Vigil.Core.Config;

/// <summary>The type of a check, given by which type key it sets.</summary>
public enum CheckKind
{
    Http,
    Tcp,
    Tls,
    Dns,
    Command,
    Heartbeat,
    Prometheus,
}
