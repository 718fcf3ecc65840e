using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// Generic JSON webhook: POSTs <see cref="NotificationPayload"/> (<c>Content-Type:
/// application/json; charset=utf-8</c>) with these headers:
/// <list type="bullet">
/// <item><c>X-Vigil-Delivery: &lt;message id&gt;</c>, always; stable across retries.</item>
/// <item><c>X-Vigil-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-Vigil-Signature: sha256=&lt;lowercase hex&gt;</c> when the notifier has a <c>secret</c>:
/// HMAC-SHA256 keyed with the UTF-8 secret over the UTF-8 bytes of <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>,
/// where body is the exact request body. Receivers recompute it, compare in constant time and
/// reject stale timestamps to stop replays.</item>
/// <item>The notifier's <c>headers</c>; they cannot replace the <c>X-Vigil-*</c> headers.</item>
/// <item><c>traceparent</c> (W3C Trace Context) of the delivery's span, when Vigil exports traces.</item>
/// </list>
/// A 2xx answer is a delivery; anything else fails with the status and the start of the body.
/// Redirects are not followed.
/// </summary>
internal sealed class WebhookChannel
{
    public const string DeliveryHeader = "X-Vigil-Delivery";
    public const string TimestampHeader = "X-Vigil-Timestamp";
    public const string SignatureHeader = "X-Vigil-Signature";
    public const string TraceParentHeader = "traceparent";

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _timeProvider;

    public WebhookChannel(IHttpClientFactory clients, TimeProvider timeProvider)
    {
        _clients = clients;
        _timeProvider = timeProvider;
    }

    public static string Target(WebhookNotifierConfig config) => $"webhook {DeliveryText.SafeUrl(config.Url)}";

    /// <summary>The signature header value for a body sent at <paramref name="unixSeconds"/>: <c>sha256=&lt;hex&gt;</c>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    public async Task<DeliveryResult> SendAsync(WebhookNotifierConfig config, NotificationMessage message, CancellationToken ct)
    {
        var target = Target(config);
        if (!Uri.TryCreate(config.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return DeliveryResult.Failed($"{target}: `url` must be an absolute http:// or https:// URL", TimeSpan.Zero);
        }

        var body = NotificationPayload.ToUtf8(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd(NotificationChannels.UserAgent);

        foreach (var (name, value) in config.Headers)
        {
            if (IsVigilHeader(name))
            {
                continue;
            }

            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                return DeliveryResult.Failed($"{target}: the value of header `{name}` contains a line break; remove it from `headers`", TimeSpan.Zero);
            }

            var added = name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                ? request.Content.Headers.Remove(name) && request.Content.Headers.TryAddWithoutValidation(name, value)
                : request.Headers.TryAddWithoutValidation(name, value) || request.Content.Headers.TryAddWithoutValidation(name, value);
            if (!added)
            {
                return DeliveryResult.Failed($"{target}: `{name}` in `headers` is not a valid HTTP header name", TimeSpan.Zero);
            }
        }

        request.Headers.TryAddWithoutValidation(DeliveryHeader, message.Id);
        // The delivery's span (when traces are exported): the receiver can join this page to Vigil's trace of the incident.
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } span)
        {
            request.Headers.Remove(TraceParentHeader);
            request.Headers.TryAddWithoutValidation(TraceParentHeader, span.Id);
        }

        if (!string.IsNullOrEmpty(config.Secret))
        {
            var timestamp = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(config.Secret, timestamp, body));
        }

        var client = _clients.CreateClient(config.TlsVerify ? NotificationChannels.HttpClientName : NotificationChannels.InsecureHttpClientName);
        return await HttpDelivery.SendAsync(client, request, target, ct);
    }

    private static bool IsVigilHeader(string name) =>
        name.Equals(DeliveryHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimestampHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(SignatureHeader, StringComparison.OrdinalIgnoreCase);
}
