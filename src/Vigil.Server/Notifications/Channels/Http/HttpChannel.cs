using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels.Http;

/// <summary>
/// A notifier kind that speaks HTTP, as a small description rather than a sender: which variant of
/// <see cref="NotifierConfig"/> it reads, how results name its far end (free of secrets), which
/// config values are secrets, the one request it sends, and how it reads the answer.
/// <see cref="HttpChannels.SendAsync"/> does the shared part: it checks the base URL, sends through
/// the notifications <see cref="HttpClient"/> (no redirects, no request logging), and turns the
/// answer into a <see cref="DeliveryResult"/>. <see cref="NotificationChannels"/> bounds the attempt
/// by the notifier's <c>timeout</c> and masks <see cref="Secrets"/> (through <see cref="SecretRedactor"/>)
/// in errors, replies and logs; the escalation engine retries and records the result in the ledger,
/// exactly as for the webhook and Slack channels.
/// </summary>
internal abstract class HttpChannel
{
    /// <summary>The variant's key (<c>teams</c>) and the channel label of notification metrics.</summary>
    public abstract string Kind { get; }

    /// <summary>True when the notifier sets this channel's variant.</summary>
    public abstract bool Applies(NotifierConfig notifier);

    /// <summary>How errors and replies name the far end; never contains a secret.</summary>
    public abstract string Target(NotifierConfig notifier);

    /// <summary>Every secret value of the variant (tokens, keys, webhook URLs that embed them).</summary>
    public abstract IEnumerable<string> Secrets(NotifierConfig notifier);

    /// <summary>The request for one attempt, a reason not to send (<see cref="HttpCall.Skip"/>), or a config error.</summary>
    public abstract HttpCall Build(NotifierConfig notifier, NotificationMessage message, TimeProvider time);

    /// <summary>
    /// Reads the answer (already a <see cref="DeliveryResult"/> with the status and the start of the
    /// body). The default adds a hint to 401 and 403 answers: they mean the credential is wrong.
    /// </summary>
    public virtual DeliveryResult Interpret(NotifierConfig notifier, DeliveryResult result) =>
        result is { Success: false, HttpStatus: 401 or 403 } && CredentialHint(notifier) is { } hint
            ? result with { Error = $"{result.Error}; {hint}" }
            : result;

    /// <summary>What to check when the receiver rejects the credential (like "check `bot_token`").</summary>
    protected virtual string? CredentialHint(NotifierConfig notifier) => null;
}

/// <summary><see cref="HttpChannel"/> over one typed config variant.</summary>
internal abstract class HttpChannel<TConfig> : HttpChannel
    where TConfig : class
{
    public sealed override bool Applies(NotifierConfig notifier) => Select(notifier) is not null;

    public sealed override string Target(NotifierConfig notifier) => Target(Select(notifier)!);

    public sealed override IEnumerable<string> Secrets(NotifierConfig notifier) => Select(notifier) is { } c ? Secrets(c) : [];

    public sealed override HttpCall Build(NotifierConfig notifier, NotificationMessage message, TimeProvider time) => Build(Select(notifier)!, message, time);

    protected sealed override string? CredentialHint(NotifierConfig notifier) => CredentialHint(Select(notifier)!);

    /// <summary>The variant of this channel, or null.</summary>
    protected abstract TConfig? Select(NotifierConfig notifier);

    protected abstract string Target(TConfig config);

    protected abstract IEnumerable<string> Secrets(TConfig config);

    protected abstract HttpCall Build(TConfig config, NotificationMessage message, TimeProvider time);

    protected virtual string? CredentialHint(TConfig config) => null;
}

/// <summary>What a channel wants done for one attempt: send <see cref="Request"/>, or not (and why).</summary>
internal sealed class HttpCall
{
    private HttpCall(HttpRequestMessage? request, string? skipped, string? error)
    {
        Request = request;
        Skipped = skipped;
        Error = error;
    }

    public HttpRequestMessage? Request { get; }

    /// <summary>Why nothing is sent for this message on purpose (a voice call for a resolve): a success whose reply says so.</summary>
    public string? Skipped { get; }

    /// <summary>Why nothing can be sent (a config problem the validator could not see, like a person without a phone number).</summary>
    public string? Error { get; }

    public static HttpCall Send(HttpRequestMessage request) => new(request, null, null);

    public static HttpCall Skip(string reason) => new(null, reason, null);

    public static HttpCall Fail(string error) => new(null, null, error);

    /// <summary>A POST with a JSON body (<c>application/json; charset=utf-8</c>).</summary>
    public static HttpRequestMessage PostJson(Uri uri, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, ChannelText.JsonOptions))
        {
            write(w);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(stream.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return request;
    }

    /// <summary>A POST with an <c>application/x-www-form-urlencoded</c> body, fields in the given order.</summary>
    public static HttpRequestMessage PostForm(Uri uri, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return request;
    }

    /// <summary><paramref name="baseUrl"/> joined with <paramref name="path"/> (which starts with '/'), keeping a base path prefix.</summary>
    public static Uri Join(string baseUrl, string path) => new(baseUrl.TrimEnd('/') + path, UriKind.Absolute);
}

/// <summary>The HTTP channels, and the shared send.</summary>
internal static class HttpChannels
{
    /// <summary>Every described HTTP channel, in documentation order.</summary>
    public static IReadOnlyList<HttpChannel> All { get; } =
    [
        new TeamsChannel(),
        new MattermostChannel(),
        new DiscordChannel(),
        new TelegramChannel(),
        new NtfyChannel(),
        new PushoverChannel(),
        new PagerDutyChannel(),
        new TwilioChannel(),
    ];

    /// <summary>The channel whose variant the notifier sets (the first, when it wrongly sets several).</summary>
    public static HttpChannel? For(NotifierConfig notifier) => All.FirstOrDefault(c => c.Applies(notifier));

    /// <summary>How many of these variants the notifier sets.</summary>
    public static int Count(NotifierConfig notifier) => All.Count(c => c.Applies(notifier));

    /// <summary>One attempt: build, send, interpret. Errors name <see cref="HttpChannel.Target"/>; secrets are masked by the caller.</summary>
    public static async Task<DeliveryResult> SendAsync(HttpClient client, HttpChannel channel, NotifierConfig notifier, NotificationMessage message, TimeProvider time, CancellationToken ct)
    {
        var target = channel.Target(notifier);
        HttpCall call;
        try
        {
            call = channel.Build(notifier, message, time);
        }
        catch (UriFormatException)
        {
            return DeliveryResult.Failed($"{target}: the configured URL is not a valid absolute http:// or https:// URL", TimeSpan.Zero);
        }

        if (call.Skipped is { } skipped)
        {
            return new DeliveryResult(true, null, "not sent: " + skipped, TimeSpan.Zero, null);
        }

        if (call.Error is { } error)
        {
            return DeliveryResult.Failed($"{target}: {error}", TimeSpan.Zero);
        }

        using var request = call.Request!;
        if (request.RequestUri is not { IsAbsoluteUri: true } uri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return DeliveryResult.Failed($"{target}: the configured URL must be an absolute https:// URL", TimeSpan.Zero);
        }

        request.Headers.UserAgent.ParseAdd(NotificationChannels.UserAgent);
        var result = await HttpDelivery.SendAsync(client, request, target, ct);
        return channel.Interpret(notifier, result);
    }
}

/// <summary>Wording shared by the chat and push channels.</summary>
internal static class ChannelText
{
    public static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>triggered</c>, <c>resolved</c> or <c>ticket (no page)</c>.</summary>
    public static string State(NotificationKind kind) => kind switch
    {
        NotificationKind.Resolve => "resolved",
        NotificationKind.Ticket => "ticket (no page)",
        _ => "triggered",
    };

    /// <summary>🚨, ✅ or 🎫.</summary>
    public static string Icon(NotificationKind kind) => kind switch
    {
        NotificationKind.Resolve => "\u2705",
        NotificationKind.Ticket => "\U0001F3AB",
        _ => "\U0001F6A8",
    };

    /// <summary><c>[P1] #12 Disk full on db-1</c>.</summary>
    public static string Title(NotificationMessage m) => $"[{m.Severity}] #{m.IncidentId} {m.Title}";

    /// <summary><c>[P1] #12 Disk full on db-1 — service api — triggered</c>.</summary>
    public static string Headline(NotificationMessage m) =>
        Title(m) + (m.Service is { Length: > 0 } s ? $" — service {s}" : "") + " — " + State(m.Kind);

    /// <summary>The incident link ("Open incident") when it is an absolute URL, then the message's extra links, in order.</summary>
    public static IReadOnlyList<NotificationLink> Links(NotificationMessage m)
    {
        var links = new List<NotificationLink>();
        if (m.Url is { Length: > 0 } url && IsHttpUrl(url))
        {
            links.Add(new NotificationLink("Open incident", url));
        }

        foreach (var link in m.Links ?? [])
        {
            if (IsHttpUrl(link.Url) && link.Label.Length > 0)
            {
                links.Add(link);
            }
        }

        return links;
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>At most <paramref name="max"/> characters, ending with … when cut.</summary>
    public static string Cap(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
