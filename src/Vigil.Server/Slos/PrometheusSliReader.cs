using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Core.Slos;

namespace Vigil.Server.Slos;

/// <summary>
/// Reads a Prometheus SLI: for each span the SLO math needs (<see cref="SliWindows.Spans"/>), one instant
/// query (<c>GET /api/v1/query</c>) of <c>sum(increase(good[span]))</c> and one of total, at Prometheus's
/// current time. Any failure (unreachable, HTTP error, a PromQL error, a timeout) is returned as one
/// sentence, never thrown: the SLO's state is then <c>unknown</c> with that reason.
/// </summary>
public sealed class PrometheusSliReader(IHttpClientFactory clients)
{
    /// <summary>The named <see cref="HttpClient"/> (registered with <c>AddHttpClient</c>).</summary>
    public const string HttpClientName = "vigil-slo-prometheus";

    /// <summary>How long all of one SLO's queries may take in one turn.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const int MaxBody = 1 << 20;

    public async Task<(SliWindows? Windows, string? Error)> ReadAsync(SloDefinition slo, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(slo);
        var prom = slo.Prometheus ?? throw new ArgumentException($"SLO {slo.Id} has no prometheus SLI", nameof(slo));
        if (!Uri.TryCreate(prom.Url, UriKind.Absolute, out var baseUri))
        {
            return (null, $"`{prom.Url}` is not an absolute URL");
        }

        var server = "Prometheus at " + SafeUrl(baseUri);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        var client = clients.CreateClient(HttpClientName);
        var counts = new Dictionary<TimeSpan, SliCount>();
        try
        {
            foreach (var span in SliWindows.Spans(slo, now))
            {
                var good = await QueryAsync(client, baseUri, prom.BearerToken, PrometheusRules.Increase(prom.Good, span), server, deadline.Token);
                var total = await QueryAsync(client, baseUri, prom.BearerToken, PrometheusRules.Increase(prom.Total, span), server, deadline.Token);
                var t = Count(total);
                counts[span] = new SliCount(Math.Min(Count(good), t), t);
            }
        }
        catch (QueryException ex)
        {
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, $"{server} did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"{server} could not be reached: {ex.Message}");
        }

        return (new SliWindows(now, counts), null);
    }

    /// <summary>Whole events: Prometheus extrapolates increases to fractions; negatives (never for counters) count as none.</summary>
    private static long Count(double value) => double.IsNaN(value) || value <= 0 ? 0 : (long)Math.Round(Math.Min(value, long.MaxValue / 2.0));

    private static async Task<double> QueryAsync(HttpClient client, Uri baseUri, string? token, string query, string server, CancellationToken ct)
    {
        var builder = new UriBuilder(baseUri);
        var path = builder.Path.TrimEnd('/');
        builder.Path = path.EndsWith("/api/v1/query", StringComparison.Ordinal) ? path : path + "/api/v1/query";
        builder.Query = "query=" + Uri.EscapeDataString(query);
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is { Length: > 0 })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentLength > MaxBody)
        {
            throw new QueryException($"{server} answered `{query}` with more than 1 MiB");
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new QueryException($"{server} did not answer `{query}` with Prometheus JSON (HTTP {status}); is `url` the Prometheus server's base URL?");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var statusField))
        {
            throw new QueryException($"{server} answered `{query}` with JSON that has no `status` (HTTP {status})");
        }

        try
        {
            if (!statusField.ValueEquals("success") || status is < 200 or > 299)
            {
                var type = root.TryGetProperty("errorType", out var et) ? et.GetString() : null;
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
                throw new QueryException($"{server} rejected `{query}` with HTTP {status}: {type ?? "error"}: {error ?? "no message"}");
            }

            if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("result", out var result))
            {
                throw new QueryException($"{server} answered `{query}` without data.result");
            }

            var raw = result.ValueKind switch
            {
                JsonValueKind.Array when result.GetArrayLength() == 0 => "0",
                JsonValueKind.Array when result.GetArrayLength() > 1 && result[0].ValueKind == JsonValueKind.Object =>
                    throw new QueryException($"`{query}` returned {result.GetArrayLength()} series from {server}, expected one"),
                JsonValueKind.Array when result[0].ValueKind == JsonValueKind.Object && result[0].TryGetProperty("value", out var v) && v.GetArrayLength() == 2 => v[1].GetString(),
                JsonValueKind.Array when result.GetArrayLength() == 2 => result[1].GetString(),
                _ => null,
            };
            return raw switch
            {
                "NaN" => double.NaN,
                not null when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
                _ => throw new QueryException($"`{query}` returned no number from {server}"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            // Valid JSON of another shape (`"data": null`, a number where a string belongs): an answer, not a crash.
            throw new QueryException($"{server} answered `{query}` with JSON of an unexpected shape (HTTP {status}): {ex.Message}");
        }
    }

    private static string SafeUrl(Uri uri) =>
        new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri.ToString().TrimEnd('/');

    private sealed class QueryException(string message) : Exception(message);
}
