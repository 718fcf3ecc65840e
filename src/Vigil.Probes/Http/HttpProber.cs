using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Network;

namespace Vigil.Probes.Http;

/// <summary>HTTP(S) check: status, body substring/regex, JSON fields, latency, TLS and mTLS.</summary>
internal sealed class HttpProber : IProber
{
    private const string UserAgent = "Vigil-Probe/1.0";

    private readonly HttpClientPool _pool;
    private readonly ProbeOptions _options;
    private readonly TimeProvider _timeProvider;

    public HttpProber(HttpClientPool pool, ProbeOptions options, TimeProvider timeProvider)
    {
        _pool = pool;
        _options = options;
        _timeProvider = timeProvider;
    }

    public CheckKind Kind => CheckKind.Http;

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var http = check.Http ?? throw new ArgumentException("not an http check", nameof(check));
        var start = _timeProvider.GetTimestamp();
        if (!Uri.TryCreate(http.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero, $"`{CheckTarget.SafeUrl(http.Url)}` is not an http:// or https:// URL");
        }

        HttpMessageInvoker invoker;
        try
        {
            invoker = _pool.Get(http.TlsVerify, http.FollowRedirects, http.ReuseConnections, http.ClientCert);
        }
        catch (CertificateLoadException ex)
        {
            return ProbeResult.Unknown(FailureReason.Tls, Elapsed(start), ex.Message);
        }

        using var request = BuildRequest(http, uri);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ResponseEnded && uri.Scheme == Uri.UriSchemeHttps && !ct.IsCancellationRequested)
        {
            // With TLS 1.3 the client finishes its handshake before the server checks the client
            // certificate, so a rejected (or missing) certificate looks like a silent close.
            return ProbeResult.Critical(FailureReason.Tls, Elapsed(start),
                $"{CheckTarget.SafeUrl(http.Url)} closed the TLS connection without answering; with TLS 1.3 that is how a server rejects a missing or unaccepted client certificate{(http.ClientCert is null ? " (none is configured)" : string.Empty)}");
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            var (reason, message) = NetworkFailure.Classify(ex, uri.IdnHost, CheckTarget.SafeUrl(http.Url));
            return ProbeResult.Critical(reason, Elapsed(start), message);
        }

        using (response)
        {
            byte[] body = [];
            var truncated = false;
            if (request.Method != HttpMethod.Head)
            {
                try
                {
                    (body, truncated) = await BodyReader.ReadAsync(response.Content, _options.MaxBodyBytes, ct);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
                {
                    var (reason, message) = NetworkFailure.Classify(ex, uri.IdnHost, CheckTarget.SafeUrl(http.Url));
                    return ProbeResult.Critical(reason, Elapsed(start), $"reading the body failed: {message}");
                }
            }

            var latency = Elapsed(start);
            var status = (int)response.StatusCode;
            var finalUrl = CheckTarget.SafeUrl(response.RequestMessage?.RequestUri?.ToString() ?? http.Url);
            if (!StatusAccepted(status, http.ExpectStatus))
            {
                var location = response.Headers.Location is { } loc ? $" redirecting to {loc}" : string.Empty;
                return ProbeResult.Critical(FailureReason.Status, latency,
                    $"HTTP {status} from {finalUrl}{location} (expected {ExpectedStatus(http.ExpectStatus)})");
            }

            var bodyFailure = CheckBody(http, body, truncated, BodyReader.EncodingOf(response.Content), finalUrl);
            if (bodyFailure is not null)
            {
                return bodyFailure.Value.Unknown
                    ? ProbeResult.Unknown(FailureReason.Body, latency, bodyFailure.Value.Message)
                    : ProbeResult.Critical(FailureReason.Body, latency, bodyFailure.Value.Message);
            }

            if (http.MaxLatency is { } max && latency > max)
            {
                return ProbeResult.Warning(FailureReason.Latency, latency,
                    $"HTTP {status} from {finalUrl} took {Millis(latency)} (max_latency {Millis(max)})");
            }

            return ProbeResult.Ok(latency, $"HTTP {status} from {finalUrl} in {Millis(latency)}");
        }
    }

    private static HttpRequestMessage BuildRequest(HttpCheckConfig http, Uri uri)
    {
        var request = new HttpRequestMessage(new HttpMethod(http.Method.ToUpperInvariant()), uri);
        if (http.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(http.Body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        }

        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in http.Headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                if (request.Content is not null)
                {
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }
            else
            {
                if (string.Equals(name, "User-Agent", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.UserAgent.Clear();
                }

                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        // With the pool's zero connection lifetime this makes the server close first, so TIME_WAIT
        // piles up on the target rather than eating the prober's ephemeral ports.
        request.Headers.ConnectionClose = !http.ReuseConnections;
        return request;
    }

    private static bool StatusAccepted(int status, IReadOnlyList<int> expected) =>
        expected.Count == 0 ? status is >= 200 and <= 299 : expected.Contains(status);

    private static string ExpectedStatus(IReadOnlyList<int> expected) =>
        expected.Count == 0 ? "2xx" : string.Join(", ", expected);

    private (string Message, bool Unknown)? CheckBody(HttpCheckConfig http, byte[] bytes, bool truncated, Encoding encoding, string url)
    {
        var needsText = http.BodyContains is not null || http.BodyNotContains is not null || http.BodyRegex is not null;
        if (!needsText && http.Json.Count == 0)
        {
            return null;
        }

        var scope = truncated ? $"the first {ProbeText.Bytes(_options.MaxBodyBytes)} of the body" : "the body";
        if (needsText)
        {
            var text = encoding.GetString(bytes);
            if (http.BodyContains is { } contains && !text.Contains(contains, StringComparison.Ordinal))
            {
                return ($"{scope} from {url} does not contain {ProbeText.Quote(contains)} (got {ProbeText.Quote(text, 60)})", false);
            }

            if (http.BodyNotContains is { } notContains && text.Contains(notContains, StringComparison.Ordinal))
            {
                return ($"{scope} from {url} contains {ProbeText.Quote(notContains)}, which body_not_contains forbids", false);
            }

            if (http.BodyRegex is { } pattern)
            {
                try
                {
                    if (!RegexCache.Get(pattern, _options.RegexTimeout).IsMatch(text))
                    {
                        return ($"{scope} from {url} does not match /{pattern}/ (got {ProbeText.Quote(text, 60)})", false);
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    return ($"body_regex /{pattern}/ took longer than {Millis(_options.RegexTimeout)} on {scope} from {url}; simplify the pattern", true);
                }
                catch (ArgumentException ex)
                {
                    return ($"body_regex /{pattern}/ is not a valid regular expression: {ex.Message}", true);
                }
            }
        }

        if (http.Json.Count > 0)
        {
            if (truncated)
            {
                return ($"the body from {url} is larger than {ProbeText.Bytes(_options.MaxBodyBytes)}, too large for JSON assertions", false);
            }

            try
            {
                using var doc = JsonDocument.Parse(bytes);
                if (JsonAssertions.FirstFailure(doc.RootElement, http.Json) is { } failure)
                {
                    return ($"{failure} from {url}", false);
                }
            }
            catch (JsonException ex)
            {
                return ($"the body from {url} is not JSON ({ex.Message.Split('.')[0]}; got {ProbeText.Quote(Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 200))), 60)})", false);
            }
        }

        return null;
    }

    private TimeSpan Elapsed(long start) => _timeProvider.GetElapsedTime(start);

    private static string Millis(TimeSpan t) => ProbeText.Time(t);
}
