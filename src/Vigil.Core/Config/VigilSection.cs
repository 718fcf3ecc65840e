namespace Vigil.Core.Config;

/// <summary>The <c>vigil:</c> section: this installation's identity, environment, store and listen address.</summary>
public sealed class VigilSection : IConfigValidatable
{
    /// <summary>Name of this installation, shown in the console, notifications and metrics.</summary>
    [Mandatory]
    [NotEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Deployment environment: <c>dev</c>, <c>staging</c> or <c>production</c>. Runbooks can require approval in some environments.</summary>
    [OneOf("dev", "staging", "production")]
    public string Environment { get; set; } = "production";

    /// <summary>
    /// Where state lives: <c>sqlite:&lt;path&gt;</c> (a relative path resolves against the config
    /// file's folder) or <c>postgres://user@host:port/db</c> (PostgreSQL; no password here: it comes from
    /// <c>VIGIL_STORAGE_POSTGRES_PASSWORD</c>, <c>VIGIL_STORAGE_POSTGRES_PASSWORD_FILE</c> or <c>PGPASSWORD</c>).
    /// The environment variable <c>VIGIL_STORAGE_POSTGRES</c> (such a URL or an Npgsql connection string)
    /// overrides it. Default: <c>vigil.db</c> in the data directory. See docs/operations.md.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>Address the HTTP server listens on.</summary>
    [Url("http", "https")]
    public string Listen { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Public base URL used in links in notifications and the status page.</summary>
    [Url("http", "https")]
    public string? PublicUrl { get; set; }

    /// <summary>Folder for the SQLite database, keys and the admin token; relative to the config file. Default: <c>data</c>.</summary>
    public string? DataDir { get; set; }

    /// <summary>Largest accepted HTTP request body (a byte size such as <c>1MiB</c>); bigger requests get 413.</summary>
    [ByteSize]
    [Positive]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long raw check results are kept; hourly and per-minute rollups outlive them. Read at start.</summary>
    [Positive]
    public TimeSpan HistoryRaw { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long hourly and per-minute check rollups are kept. Read at start.</summary>
    [Positive]
    public TimeSpan HistoryRollups { get; set; } = TimeSpan.FromDays(400);

    /// <summary>At most this many probes run at once across all checks. Read at start.</summary>
    [NumberRange(1, 100000)]
    public int MaxConcurrentProbes { get; set; } = 512;

    /// <summary>
    /// How long the acknowledge link in a page stays valid (at most 30d). Each page to a person carries a signed,
    /// single-use link to acknowledge the incident, and a link to open it in the console; both need
    /// <c>public_url</c>. See docs/oncall.md.
    /// </summary>
    [Positive]
    public TimeSpan AckLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (AckLinkLifetime > TimeSpan.FromDays(30))
        {
            context.Error(ConfigPath.Member(path, "ack_link_lifetime"),
                $"`ack_link_lifetime` ({Duration.Format(AckLinkLifetime)}) is longer than 30d: a page's acknowledge link should die with the page; use 30d or less");
        }

        if (HistoryRollups < HistoryRaw)
        {
            context.Error(ConfigPath.Member(path, "history_rollups"), $"`history_rollups` ({Duration.Format(HistoryRollups)}) must be at least `history_raw` ({Duration.Format(HistoryRaw)}): rollups are what remains after raw results are dropped");
        }

        if (Store is { Length: > 0 } store
            && !store.StartsWith("sqlite:", StringComparison.Ordinal)
            && !store.StartsWith("postgres://", StringComparison.Ordinal)
            && !store.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            var shown = context.Sources.Templates.ContainsKey(ConfigPath.Member(path, "store")) ? "the store" : $"`{store}`";
            context.Error(ConfigPath.Member(path, "store"), $"unsupported store {shown}: use `sqlite:<path>` (like sqlite:data/vigil.db) or `postgres://user@host/db`");
        }
        else if (Store is { } url && !url.StartsWith("sqlite:", StringComparison.Ordinal) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            // Never quote the URL here: it holds the password.
            context.Error(ConfigPath.Member(path, "store"),
                "the PostgreSQL URL holds a password, and config files end up in git: write postgres://user@host:port/db and set VIGIL_STORAGE_POSTGRES_PASSWORD or VIGIL_STORAGE_POSTGRES_PASSWORD_FILE");
        }
        else if (Store is "sqlite:")
        {
            context.Error(ConfigPath.Member(path, "store"), "`sqlite:` needs a file path, like sqlite:data/vigil.db");
        }
    }
}
