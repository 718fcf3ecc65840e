using Vigil.Core.Config;

namespace Vigil.Probes;

/// <summary>What a check talks to, for messages ("http://127.0.0.1:5000/health", "db:5432").</summary>
internal static class CheckTarget
{
    public static string Describe(CheckConfig check) => check.Kind switch
    {
        CheckKind.Http when check.Http is { } h => SafeUrl(h.Url),
        CheckKind.Tcp when check.Tcp is { } t => HostPort(t.Host, t.Port),
        CheckKind.Tls when check.Tls is { } t => HostPort(t.Host, t.Port),
        CheckKind.Dns when check.Dns is { } d => d.Server is { Length: > 0 } s ? $"{d.Name} at {s}" : d.Name,
        CheckKind.Command when check.Command is { } c => Command(c),
        CheckKind.Prometheus when check.Prometheus is { } p => SafeUrl(p.Url),
        _ => string.IsNullOrEmpty(check.Id) ? check.Kind.ToString().ToLowerInvariant() : check.Id,
    };

    public static string HostPort(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>
    /// The program only (<c>`df …`</c>): the rest of a command line may hold a value that came from
    /// <c>${ENV}</c>, and messages end up in the API, the store and the audit trail.
    /// </summary>
    public static string Command(CommandCheckConfig command)
    {
        var text = (command.Run ?? string.Join(' ', command.Argv)).Trim();
        var space = text.IndexOfAny([' ', '\t']);
        return "`" + ProbeText.Truncate(space < 0 ? text : text[..space] + " …", 60) + "`";
    }

    /// <summary>
    /// A URL without user-info and query string (<c>http://host:port/path</c>): credentials and
    /// tokens put there through <c>${ENV}</c> must not reach messages, which are stored and audited.
    /// </summary>
    public static string SafeUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(invalid URL)";
        }

        if (string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query))
        {
            return url!;
        }

        var query = string.IsNullOrEmpty(uri.Query) ? "" : "?…";
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{query}";
    }

    /// <summary>The name a measured value goes by in threshold messages.</summary>
    public static string ValueName(CheckConfig check) =>
        check.Name is { Length: > 0 } name ? name
        : check.Id.Length > 0 ? check.Id
        : "value";
}
