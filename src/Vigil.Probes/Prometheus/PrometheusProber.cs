using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Http;
using Vigil.Probes.Network;

namespace Vigil.Probes.Prometheus;

/// <summary>
/// Prometheus check: an instant query (<c>GET /api/v1/query</c>); the first sample's value against
/// the thresholds, or, without thresholds, any sample is critical (like an alerting rule). When
/// Prometheus cannot be asked, the check is unknown: the service may be fine.
/// </summary>
internal sealed class PrometheusProber : IProber
{
    private readonly HttpClientPool _pool;
    private readonly ProbeOptions _options;
    private readonly TimeProvider _timeProvider;

    public PrometheusProber(HttpClientPool pool, ProbeOptions options, TimeProvider timeProvider)
    {
        _pool = pool;
        _options = options;
        _timeProvider = timeProvider;
    }

    public CheckKind Kind => CheckKind.Prometheus;

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var prom = check.Prometheus ?? throw new ArgumentException("not a prometheus check", nameof(check));
        var start = _timeProvider.GetTimestamp();
        if (!Uri.TryCreate(prom.Url, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero, $"`{CheckTarget.SafeUrl(prom.Url)}` is not an http:// or https:// URL");
        }

        var uri = QueryUri(baseUri, prom.Query);
        var server = $"Prometheus at {CheckTarget.SafeUrl(prom.Url)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in prom.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (prom.BearerToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            // Pooled: the query server is not what is being measured, so keep its connections warm.
            response = await _pool.Get(tlsVerify: true, followRedirects: true, reuseConnections: true).SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            var (reason, message) = NetworkFailure.Classify(ex, baseUri.IdnHost, server);
            return ProbeResult.Unknown(reason, Elapsed(start), message);
        }

        byte[] body;
        bool truncated;
        using (response)
        {
            try
            {
                (body, truncated) = await BodyReader.ReadAsync(response.Content, _options.MaxBodyBytes, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                var (reason, message) = NetworkFailure.Classify(ex, baseUri.IdnHost, server);
                return ProbeResult.Unknown(reason, Elapsed(start), message);
            }

            var latency = Elapsed(start);
            if (truncated)
            {
                return ProbeResult.Unknown(FailureReason.Body, latency,
                    $"{server} answered with more than {ProbeText.Bytes(_options.MaxBodyBytes)}; narrow the query to few series");
            }

            return Evaluate(check, prom, server, (int)response.StatusCode, body, latency);
        }
    }

    private static ProbeResult Evaluate(CheckConfig check, PrometheusCheckConfig prom, string server, int status, byte[] body, TimeSpan latency)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var got = ProbeText.Quote(Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200))), 60);
            return status is >= 200 and <= 299
                ? ProbeResult.Unknown(FailureReason.Body, latency, $"{server} did not answer with Prometheus JSON (HTTP {status}, got {got})")
                : ProbeResult.Unknown(FailureReason.Status, latency, $"HTTP {status} from {server} (expected 200; got {got})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var statusField))
            {
                return ProbeResult.Unknown(FailureReason.Body, latency, $"{server} answered JSON without a `status` field (HTTP {status})");
            }

            if (statusField.ValueEquals("error") || status is < 200 or > 299)
            {
                var type = root.TryGetProperty("errorType", out var et) ? et.GetString() : null;
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
                return ProbeResult.Unknown(FailureReason.Status, latency,
                    $"{server} rejected query {QueryText(prom)} with HTTP {status}: {type ?? "error"}: {error ?? "no message"}");
            }

            if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("resultType", out var resultTypeField) || !data.TryGetProperty("result", out var result))
            {
                return ProbeResult.Unknown(FailureReason.Body, latency, $"{server} answered without data.resultType and data.result");
            }

            var resultType = resultTypeField.GetString();
            string? raw;
            var series = 1;
            string? labels = null;
            switch (resultType)
            {
                case "vector":
                    series = result.GetArrayLength();
                    if (series == 0)
                    {
                        return NoData(prom, latency, $"query {QueryText(prom)} returned no data from {server}");
                    }

                    var first = result[0];
                    raw = first.TryGetProperty("value", out var sample) && sample.ValueKind == JsonValueKind.Array && sample.GetArrayLength() == 2
                        ? sample[1].GetString() : null;
                    labels = first.TryGetProperty("metric", out var metric) ? Labels(metric) : null;
                    break;
                case "scalar":
                    raw = result.ValueKind == JsonValueKind.Array && result.GetArrayLength() == 2 ? result[1].GetString() : null;
                    break;
                case "matrix":
                    return ProbeResult.Unknown(FailureReason.Body, latency,
                        $"query {QueryText(prom)} returned a range vector; use an instant query (drop the [range] or wrap it in a function)");
                default:
                    return ProbeResult.Unknown(FailureReason.Body, latency, $"query {QueryText(prom)} returned a {resultType} result, not a number");
            }

            if (raw is null || !TryParseSample(raw, out var value))
            {
                return ProbeResult.Unknown(FailureReason.Body, latency, $"query {QueryText(prom)} returned a sample that is not a number ({ProbeText.Quote(raw)})");
            }

            if (double.IsNaN(value))
            {
                return NoData(prom, latency, $"query {QueryText(prom)} returned NaN from {server}");
            }

            var what = CheckTarget.ValueName(check);
            if (labels is { Length: > 0 })
            {
                what += labels;
            }

            if (!check.HasThresholds)
            {
                return ProbeResult.Critical(FailureReason.Threshold, latency,
                    $"query {QueryText(prom)} returned {series} series ({what} = {ProbeText.Number(value)}); with no thresholds any result fails the check", value);
            }

            var evaluated = Thresholds.Evaluate(check, value, latency, what);
            return series > 1 && evaluated.Message is { } message
                ? evaluated with { Message = $"{message} (first of {series} series)" }
                : evaluated;
        }
    }

    private static ProbeResult NoData(PrometheusCheckConfig prom, TimeSpan latency, string message) => prom.NoData switch
    {
        NoDataState.Ok => ProbeResult.Ok(latency, message),
        NoDataState.Warning => ProbeResult.Warning(FailureReason.NoData, latency, message),
        NoDataState.Critical => ProbeResult.Critical(FailureReason.NoData, latency, message),
        _ => ProbeResult.Unknown(FailureReason.NoData, latency, message),
    };

    internal static Uri QueryUri(Uri baseUri, string query)
    {
        var builder = new UriBuilder(baseUri);
        var path = builder.Path.TrimEnd('/');
        if (!path.EndsWith("/api/v1/query", StringComparison.Ordinal))
        {
            path += "/api/v1/query";
        }

        builder.Path = path;
        builder.Query = "query=" + Uri.EscapeDataString(query);
        return builder.Uri;
    }

    internal static bool TryParseSample(string raw, out double value)
    {
        switch (raw)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static string Labels(JsonElement metric)
    {
        if (metric.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        var parts = metric.EnumerateObject().Where(p => p.Name != "__name__").Take(4).Select(p => $"{p.Name}=\"{p.Value.GetString()}\"").ToList();
        return parts.Count == 0 ? string.Empty : "{" + string.Join(",", parts) + "}";
    }

    private static string QueryText(PrometheusCheckConfig prom) => "`" + ProbeText.Truncate(prom.Query, 60) + "`";

    private TimeSpan Elapsed(long start) => _timeProvider.GetElapsedTime(start);
}
