using Vigil.Core.Config;

namespace Vigil.Probes;

/// <summary>What a check talks to, for messages ("http://127.0.0.1:5000/health", "db:5432").</summary>
internal static class CheckTarget
{
    public static string Describe(CheckConfig check) => check.Kind switch
    {
        CheckKind.Http when check.Http is { } h => h.Url,
        CheckKind.Tcp when check.Tcp is { } t => HostPort(t.Host, t.Port),
        CheckKind.Tls when check.Tls is { } t => HostPort(t.Host, t.Port),
        CheckKind.Dns when check.Dns is { } d => d.Server is { Length: > 0 } s ? $"{d.Name} at {s}" : d.Name,
        CheckKind.Command when check.Command is { } c => Command(c),
        CheckKind.Prometheus when check.Prometheus is { } p => p.Url,
        _ => string.IsNullOrEmpty(check.Id) ? check.Kind.ToString().ToLowerInvariant() : check.Id,
    };

    public static string HostPort(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

    public static string Command(CommandCheckConfig command)
    {
        var text = command.Run ?? string.Join(' ', command.Argv);
        return "`" + ProbeText.Truncate(text, 60) + "`";
    }

    /// <summary>The name a measured value goes by in threshold messages.</summary>
    public static string ValueName(CheckConfig check) =>
        check.Name is { Length: > 0 } name ? name
        : check.Id.Length > 0 ? check.Id
        : "value";
}
