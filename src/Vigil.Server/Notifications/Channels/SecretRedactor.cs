using Vigil.Core.Config;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// Replaces a notifier's secrets with <c>***</c> in text bound for results and logs: the webhook
/// <c>secret</c>, the Slack webhook URL (its path is the token), the secrets each HTTP channel
/// declares (chat webhook URLs, bot tokens, API keys), the SMTP password, credentials and
/// query strings in URLs, and values that usually carry credentials (custom header values and
/// command environment values). Results end up in the delivery ledger, the API and the audit trail.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Heuristic secrets (header and env values) shorter than this are left alone: redacting "1" everywhere helps no one.</summary>
    private const int MinHeuristicLength = 8;

    private readonly string[] _secrets;

    private SecretRedactor(IEnumerable<string> secrets)
    {
        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    public static SecretRedactor For(NotifierConfig notifier)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        var secrets = new List<string>();
        if (notifier.Webhook is { } webhook)
        {
            Add(secrets, webhook.Secret);
            AddUrlCredentials(secrets, webhook.Url);
            foreach (var value in webhook.Headers.Values)
            {
                AddHeuristic(secrets, value);
            }
        }

        if (notifier.Slack is { } slack)
        {
            AddSecretUrl(secrets, slack.WebhookUrl);
        }

        // The described HTTP channels (Teams, Telegram, ...): every value they declare secret, and
        // for webhook URLs, the path and query pieces that carry the token.
        foreach (var channel in Http.HttpChannels.All.Where(c => c.Applies(notifier)))
        {
            foreach (var secret in channel.Secrets(notifier))
            {
                Add(secrets, secret);
                if (Uri.TryCreate(secret, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
                {
                    AddSecretUrl(secrets, secret);
                }
            }
        }

        if (notifier.Email is { } email)
        {
            Add(secrets, email.Password);
            AddUrlCredentials(secrets, email.Smtp);
        }

        if (notifier.Command is { } command)
        {
            foreach (var value in command.Env.Values)
            {
                AddHeuristic(secrets, value);
            }
        }

        return new SecretRedactor(secrets);
    }

    /// <summary>
    /// A URL that is a credential as a whole (a chat webhook): the URL, its credentials and query
    /// values, its path, and every path segment after the first ("/services/T…/B…/token",
    /// "/hooks/token", "/api/webhooks/id/token", "/workflows/…?sig=…").
    /// </summary>
    private static void AddSecretUrl(List<string> secrets, string url)
    {
        Add(secrets, url);
        AddUrlCredentials(secrets, url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length == 0)
        {
            return;
        }

        Add(secrets, uri.PathAndQuery);
        Add(secrets, path);
        Add(secrets, Uri.UnescapeDataString(path));
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments.Length > 1 ? segments.Skip(1) : segments)
        {
            // Short segments ("api", "hooks", "invoke") are route words, not tokens; masking them would garble every message.
            if (segment.Length >= MinHeuristicLength)
            {
                Add(secrets, segment);
                Add(secrets, Uri.UnescapeDataString(segment));
            }
        }
    }

    /// <summary>The text with every secret replaced by <see cref="Mask"/>.</summary>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private static void Add(List<string> secrets, string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            secrets.Add(secret);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                secrets.Add(escaped);
            }
        }
    }

    private static void AddHeuristic(List<string> secrets, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (value.Length >= MinHeuristicLength)
        {
            Add(secrets, value);
        }

        // "Bearer abc…": a server that echoes the token alone must not leak it either.
        foreach (var part in value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length >= MinHeuristicLength)
            {
                Add(secrets, part);
            }
        }
    }

    private static void AddUrlCredentials(List<string> secrets, string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                Add(secrets, uri.UserInfo[(colon + 1)..]);
                Add(secrets, Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
            }
        }

        if (uri.Query.Length > 1)
        {
            Add(secrets, uri.Query[1..]);
            foreach (var pair in uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var value = eq < 0 ? pair : pair[(eq + 1)..];
                if (value.Length >= MinHeuristicLength)
                {
                    Add(secrets, value);
                    Add(secrets, Uri.UnescapeDataString(value));
                }
            }
        }
    }
}
