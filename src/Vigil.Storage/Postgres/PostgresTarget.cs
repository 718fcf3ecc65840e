using System.Globalization;
using Npgsql;

namespace Vigil.Storage.Postgres;

/// <summary>
/// Where a PostgreSQL store lives: the connection string (with the password, never shown) and a
/// description without it. Built from <c>vigil.store: postgres://user@host:port/db</c>, or from
/// <c>VIGIL_STORAGE_POSTGRES</c> (such a URL or an Npgsql <c>Host=…;Database=…</c> string), which overrides
/// the config. The password comes from <c>VIGIL_STORAGE_POSTGRES_PASSWORD</c>, the file named by
/// <c>VIGIL_STORAGE_POSTGRES_PASSWORD_FILE</c>, the <c>VIGIL_STORAGE_POSTGRES</c> value itself, or
/// <c>PGPASSWORD</c>, in that order; none at all is fine for trust, certificate or <c>.pgpass</c> logins.
/// </summary>
public sealed class PostgresTarget
{
    /// <summary>Overrides <c>vigil.store</c>: a postgres:// URL or an Npgsql connection string.</summary>
    public const string UrlVariable = "VIGIL_STORAGE_POSTGRES";

    /// <summary>The password itself.</summary>
    public const string PasswordVariable = "VIGIL_STORAGE_POSTGRES_PASSWORD";

    /// <summary>A file holding the password (one line; a trailing newline is ignored), like a mounted secret.</summary>
    public const string PasswordFileVariable = "VIGIL_STORAGE_POSTGRES_PASSWORD_FILE";

    /// <summary>libpq's own variable, read last.</summary>
    public const string PgPasswordVariable = "PGPASSWORD";

    /// <summary>libpq URL parameters accepted after <c>?</c>, and the Npgsql keyword each sets.</summary>
    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    private PostgresTarget(string connectionString, string description)
    {
        ConnectionString = connectionString;
        Description = description;
    }

    /// <summary>The Npgsql connection string, password included: never log or show it.</summary>
    public string ConnectionString { get; }

    /// <summary><c>postgres://user@host:port/db</c>, safe to show: never a password.</summary>
    public string Description { get; }

    /// <summary>True when <paramref name="spec"/> is a postgres:// or postgresql:// URL.</summary>
    public static bool IsUrl(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Resolves the target from a config URL (or null) and the environment. Returns an error sentence
    /// (never containing the password) instead of throwing.
    /// </summary>
    public static (PostgresTarget? Target, string? Error) Resolve(string? configUrl, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var fromEnv = environment(UrlVariable);
        string spec;
        string source;
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            spec = fromEnv.Trim();
            source = UrlVariable;
        }
        else if (configUrl is not null)
        {
            spec = configUrl.Trim();
            source = "vigil.store";
        }
        else
        {
            return (null, $"no PostgreSQL store is configured: set vigil.store to postgres://user@host:port/db or {UrlVariable}");
        }

        var (builder, error) = IsUrl(spec) ? FromUrl(spec, source, inlinePasswordAllowed: source == UrlVariable) : FromKeywords(spec, source);
        if (builder is null)
        {
            return (null, error);
        }

        var (password, passwordError) = Password(environment, builder.Password);
        if (passwordError is not null)
        {
            return (null, passwordError);
        }

        builder.Password = password;
        if (string.IsNullOrEmpty(builder.Host))
        {
            return (null, $"{source}: the PostgreSQL address names no host, like postgres://vigil@db.example.com:5432/vigil");
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            return (null, $"{source}: the PostgreSQL address names no database, like postgres://vigil@db.example.com:5432/vigil");
        }

        builder.ApplicationName ??= "vigil";
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        var host = builder.Host.Contains(':', StringComparison.Ordinal) && !builder.Host.Contains(',', StringComparison.Ordinal) ? $"[{builder.Host}]" : builder.Host;
        var description = $"postgres://{user}{host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(builder.Database)}";
        return (new PostgresTarget(builder.ConnectionString, description), null);
    }

    /// <summary>Replaces every occurrence of <paramref name="secret"/> in <paramref name="text"/>; for error texts that might quote it.</summary>
    public static string Redact(string text, string? secret)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "***", StringComparison.Ordinal);
    }

    private static (NpgsqlConnectionStringBuilder? Builder, string? Error) FromUrl(string spec, string source, bool inlinePasswordAllowed)
    {
        const string Example = "postgres://user@host:port/database";
        if (!Uri.TryCreate(spec, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return (null, $"{source}: not a PostgreSQL URL; write it as {Example}");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                if (!inlinePasswordAllowed)
                {
                    return (null, $"{source}: the URL holds a password; config files end up in git, so keep it out: set {PasswordVariable} or {PasswordFileVariable} instead");
                }

                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!UrlParameters.TryGetValue(name, out var keyword))
            {
                return (null, $"{source}: unknown URL parameter '{name}'; accepted: {string.Join(", ", UrlParameters.Keys)}");
            }

            try
            {
                builder[keyword] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                return (null, $"{source}: URL parameter '{name}' has a value PostgreSQL's client does not accept: {Redact(ex.Message, builder.Password)}");
            }
        }

        return (builder, null);
    }

    private static (NpgsqlConnectionStringBuilder? Builder, string? Error) FromKeywords(string spec, string source)
    {
        if (source != UrlVariable)
        {
            return (null, $"{source}: use a postgres://user@host:port/db URL");
        }

        try
        {
            return (new NpgsqlConnectionStringBuilder(spec), null);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // The message may quote the string, which may hold a password: name the problem only.
            return (null, $"{source} is neither a postgres:// URL nor an Npgsql connection string (Host=…;Port=…;Database=…;Username=…): {FirstKeywordProblem(ex)}");
        }
    }

    private static string FirstKeywordProblem(Exception ex) =>
        ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase) ? "a keyword or value is not understood" : ex.Message;

    private static (string? Password, string? Error) Password(Func<string, string?> environment, string? inline)
    {
        var direct = environment(PasswordVariable);
        var file = environment(PasswordFileVariable);
        if (!string.IsNullOrEmpty(direct) && !string.IsNullOrEmpty(file))
        {
            return (null, $"both {PasswordVariable} and {PasswordFileVariable} are set; set only one");
        }

        if (!string.IsNullOrEmpty(direct))
        {
            return (direct, null);
        }

        if (!string.IsNullOrEmpty(file))
        {
            try
            {
                var text = File.ReadAllText(file).TrimEnd('\r', '\n');
                return text.Length == 0
                    ? (null, $"{PasswordFileVariable}: the file {file} is empty; write the PostgreSQL password in it")
                    : (text, null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return (null, $"{PasswordFileVariable}: cannot read the password file {file}: {ex.Message}");
            }
        }

        if (!string.IsNullOrEmpty(inline))
        {
            return (inline, null);
        }

        var pg = environment(PgPasswordVariable);
        return (string.IsNullOrEmpty(pg) ? null : pg, null);
    }
}
