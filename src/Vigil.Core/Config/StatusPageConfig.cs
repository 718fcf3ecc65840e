namespace Vigil.Core.Config;

/// <summary>
/// The public status page (<c>status_page:</c>): a read-only page, JSON, Atom feed and badges that
/// show only the services marked <c>public: true</c>, served without sign-in.
/// </summary>
public sealed class StatusPageConfig : IConfigValidatable
{
    /// <summary>The longest title and message accepted.</summary>
    public const int MaxTitle = 200;

    /// <summary>The longest message accepted.</summary>
    public const int MaxMessage = 2000;

    /// <summary>Serve the status page, its JSON, feed and badges. When false they answer 404. Read on every request, so a reload turns it on or off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>URL path of the page; the JSON is at this path plus <c>.json</c>, the feed at this path plus <c>/feed.atom</c>. Read at start: a changed path needs a restart.</summary>
    [NotEmpty]
    public string Path { get; set; } = "/status";

    /// <summary>Heading and window title of the page; defaults to <c>vigil.name</c> plus " status".</summary>
    [DocDefault("<vigil.name> status")]
    public string? Title { get; set; }

    /// <summary>Logo shown beside the title: a path on this origin (like <c>/assets/logo.svg</c>, served by the reverse proxy in front of Vigil) or an http(s) URL. A logo on another origin is the one asset the page then loads from elsewhere; the page's Content-Security-Policy allows that origin for images only.</summary>
    public string? LogoUrl { get; set; }

    /// <summary>Which services show, in this order. Each must be a service with <c>public: true</c>. Empty: every public service, in config order.</summary>
    [ReferenceTo("services")]
    public IReadOnlyList<string> Services { get; set; } = [];

    /// <summary>Show the attainment of each shown service's SLOs (over the SLO's window, as of the last evaluation) on the page and in its JSON.</summary>
    public bool ShowSlos { get; set; }

    /// <summary>An optional notice shown at the top of the page, in the JSON and the feed (plain text).</summary>
    public string? Message { get; set; }

    /// <summary>The title in force: <see cref="Title"/>, else the installation's name plus " status".</summary>
    public string TitleFor(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.IsNullOrWhiteSpace(Title) ? config.Vigil.Name + " status" : Title.Trim();
    }

    /// <summary>The services shown: <see cref="Services"/> in order, else every service with <c>public: true</c>.</summary>
    public IReadOnlyList<ServiceConfig> ShownServices(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Services.Count == 0)
        {
            return config.Services.Where(s => s.Public).ToList();
        }

        return Services.Distinct(StringComparer.Ordinal).Select(config.FindService).Where(s => s is { Public: true }).Select(s => s!).ToList();
    }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (!IsValidPath(Path))
        {
            context.Error(ConfigPath.Member(path, "path"),
                $"`path` must be a URL path of letters, digits, `-`, `_` and `/` that starts with `/`, does not end with `/` and is not `/`, `/api/...`, `/badge/...`, `/healthz`, `/readyz` or `/openapi/...` (like /status), got `{Path}`");
        }

        if (Title is { } title && (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitle))
        {
            context.Error(ConfigPath.Member(path, "title"), $"`title` must be 1 to {MaxTitle} characters; leave it out to use `<vigil.name> status`");
        }

        if (Message is { Length: > MaxMessage })
        {
            context.Error(ConfigPath.Member(path, "message"), $"`message` is {Message.Length} characters; at most {MaxMessage} are shown, shorten it");
        }

        if (LogoUrl is { } logo && !IsValidLogo(logo))
        {
            context.Error(ConfigPath.Member(path, "logo_url"), $"`logo_url` must be a path on this origin that starts with `/` (like /assets/logo.svg) or an absolute http(s) URL, got `{logo}`");
        }

        for (var i = 0; i < Services.Count; i++)
        {
            if (Services[i] is { } id && context.Config.Services.FirstOrDefault(s => s?.Id == id) is { Public: false })
            {
                context.Error(ConfigPath.Index(ConfigPath.Member(path, "services"), i),
                    $"service `{id}` is not public; add `public: true` to it, or remove it from `status_page.services`");
            }
        }
    }

    private static bool IsValidPath(string path)
    {
        if (path.Length < 2 || path.Length > 100 || path[0] != '/' || path[^1] == '/' || path.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }

        if (path.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/')))
        {
            return false;
        }

        string[] reserved = ["/api", "/badge", "/healthz", "/readyz", "/openapi"];
        return !reserved.Any(r => path.Equals(r, StringComparison.OrdinalIgnoreCase) || path.StartsWith(r + "/", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsValidLogo(string logo)
    {
        if (logo.StartsWith('/'))
        {
            return !logo.StartsWith("//", StringComparison.Ordinal) && !logo.Any(char.IsWhiteSpace) && !logo.Contains('"', StringComparison.Ordinal);
        }

        return Uri.TryCreate(logo, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;
    }
}
