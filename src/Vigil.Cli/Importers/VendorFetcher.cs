using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.Core.Importers;
using Nodes = System.Text.Json.Nodes;

namespace Vigil.Cli.Importers;

/// <summary>A fetch that failed: one sentence saying what, where (URL and page) and how to fix it, with the key redacted.</summary>
internal sealed class VendorFetchException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>One fetched document: what the importer reads, and the exact bytes <c>--save</c> writes.</summary>
internal sealed record FetchedDocument(ImportDocument Document, byte[] Json);

/// <summary>How hard the fetcher tries before it gives up.</summary>
internal sealed record FetchRetry
{
    /// <summary>Tries per request, the first included (429 and 5xx answers, and connection failures, are retried).</summary>
    public int MaxTries { get; init; } = 6;

    /// <summary>The first wait without a Retry-After; it doubles per try.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait without a Retry-After.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After honoured; a longer one ends the fetch with the time to run it again.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Fetches from a vendor's documented REST API everything <c>vigil import</c> reads from saved files, page by
/// page, and hands the pages to the same importer (Vigil.Core.Importers) as <see cref="ImportDocument"/>s
/// named as <c>--save</c> writes them. Rate limits (429) are waited out through the injected delay, honouring
/// Retry-After; 5xx answers and connection failures are retried a bounded number of times; every other
/// failure is one sentence. The key goes only to the API's own host and never into a message.
/// </summary>
internal sealed class VendorFetcher : IDisposable
{
    /// <summary>PagerDuty's documented page limit.</summary>
    private const int PagerDutyLimit = 100;

    /// <summary>Opsgenie's documented largest page.</summary>
    private const int OpsgenieLimit = 100;

    /// <summary>The most pages of one collection: a guard against an API whose links never end.</summary>
    private const int MaxPages = 10_000;

    private readonly ImportVendor _vendor;
    private readonly Uri _base;
    private readonly string _key;
    private readonly Action<string> _progress;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly TimeProvider _clock;
    private readonly FetchRetry _retry;
    private readonly HttpClient _http;
    private readonly string _name;

    public VendorFetcher(ImportVendor vendor, Uri baseUrl, string apiKey, Action<string> progress, Func<TimeSpan, CancellationToken, Task> delay, TimeProvider clock, FetchRetry? retry = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        _vendor = vendor;
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _key = apiKey;
        _progress = progress;
        _delay = delay;
        _clock = clock;
        _retry = retry ?? new FetchRetry();
        _name = ImportYaml.VendorName(vendor);
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = _retry.RequestTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("vigil-import/1");
    }

    /// <summary>The documented default API URL, or null when the vendor has none (Grafana OnCall is self-hosted or per stack).</summary>
    public static string? DefaultUrl(ImportVendor vendor) => vendor switch
    {
        ImportVendor.PagerDuty => "https://api.pagerduty.com",
        ImportVendor.Opsgenie => "https://api.opsgenie.com",
        _ => null,
    };

    /// <summary>The time window asked for PagerDuty's schedules and overrides (from now).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    public Task<List<FetchedDocument>> FetchAsync(DateTimeOffset now, CancellationToken ct) => _vendor switch
    {
        ImportVendor.PagerDuty => PagerDutyAsync(now, ct),
        ImportVendor.Opsgenie => OpsgenieAsync(ct),
        _ => GrafanaOnCallAsync(ct),
    };

    public void Dispose() => _http.Dispose();

    /// <summary>The message with the key (and its URL-encoded form) replaced.</summary>
    public string Redact(string text) => Redact(text, _key);

    public static string Redact(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrEmpty(key))
        {
            return text;
        }

        text = text.Replace(key, "[redacted]", StringComparison.Ordinal);
        var escaped = Uri.EscapeDataString(key);
        return escaped == key ? text : text.Replace(escaped, "[redacted]", StringComparison.Ordinal);
    }

    // ---- PagerDuty REST v2: offset/limit/more; GET /schedules lists ids, GET /schedules/{id} has the layers.

    private async Task<List<FetchedDocument>> PagerDutyAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = Iso(now);
        var until = Iso(now + Window);
        var documents = new List<FetchedDocument>();
        documents.AddRange(Named("users", await PagerDutyListAsync("users", "users?include%5B%5D=contact_methods", "users", ct)));

        var scheduleIds = new List<string>();
        foreach (var page in await PagerDutyListAsync("schedules", "schedules", "schedules", ct))
        {
            foreach (var schedule in page.Root.GetProperty("schedules").EnumerateArray())
            {
                scheduleIds.Add(Id(schedule, page, "schedules"));
            }
        }

        var n = 0;
        foreach (var id in scheduleIds.Distinct(StringComparer.Ordinal))
        {
            n++;
            var url = Url($"schedules/{Uri.EscapeDataString(id)}?since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(until)}");
            var page = await GetAsync(url, $"schedule {id}", 1, ct);
            Expect(page, "schedule", JsonValueKind.Object, "GET /schedules/{id}");
            documents.Add(page.As($"schedules/{n.ToString("D3", CultureInfo.InvariantCulture)}-{Safe(id)}.json"));

            var overrides = await PagerDutyListAsync($"overrides of schedule {id}",
                $"schedules/{Uri.EscapeDataString(id)}/overrides?since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(until)}", "overrides", ct);
            // The importer reads the schedule id from the file name's last part: one file per schedule.
            documents.Add(Merge(overrides, "overrides", $"overrides-{Safe(id)}.json"));
        }

        documents.AddRange(Named("escalation_policies", await PagerDutyListAsync("escalation policies", "escalation_policies", "escalation_policies", ct)));
        documents.AddRange(Named("services", await PagerDutyListAsync("services", "services?include%5B%5D=integrations", "services", ct)));
        return documents;
    }

    private async Task<List<Page>> PagerDutyListAsync(string what, string path, string key, CancellationToken ct)
    {
        var pages = new List<Page>();
        var offset = 0;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var n = 1; ; n++)
        {
            var url = Url($"{path}{separator}limit={PagerDutyLimit}&offset={offset}");
            var page = await GetAsync(url, what, n, ct);
            var items = Expect(page, key, JsonValueKind.Array, $"GET /{path.Split('?')[0]}");
            pages.Add(page);
            var more = page.Root.TryGetProperty("more", out var m) && m.ValueKind == JsonValueKind.True;
            if (!more)
            {
                return pages;
            }

            if (items == 0)
            {
                throw Fail($"{_name} answered {Where(page)} with `more: true` but no {key}; the listing cannot go on. Run the import again, or save the files by hand (docs/migrating.md)", ExitCodes.Failed);
            }

            offset += items;
            Guard(n, page);
        }
    }

    // ---- Opsgenie: every answer is { data, paging: { next } }; overrides per schedule.

    private async Task<List<FetchedDocument>> OpsgenieAsync(CancellationToken ct)
    {
        var documents = new List<FetchedDocument>();
        documents.AddRange(Named("users", await LinkedListAsync("users", Url($"v2/users?limit={OpsgenieLimit}&offset=0"), "data", NextOpsgenie, ct)));
        var schedules = await LinkedListAsync("schedules", Url("v2/schedules?expand=rotation"), "data", NextOpsgenie, ct);
        documents.AddRange(Named("schedules", schedules));
        foreach (var page in schedules)
        {
            foreach (var schedule in page.Root.GetProperty("data").EnumerateArray())
            {
                var id = Id(schedule, page, "data");
                var overrides = await LinkedListAsync($"overrides of schedule {id}", Url($"v2/schedules/{Uri.EscapeDataString(id)}/overrides?scheduleIdentifierType=id"), "data", NextOpsgenie, ct);
                // The importer reads the schedule id from the file name (overrides-{id}.json): one file per schedule.
                documents.Add(Merge(overrides, "data", $"overrides-{Safe(id)}.json"));
            }
        }

        documents.AddRange(Named("escalations", await LinkedListAsync("escalations", Url("v2/escalations"), "data", NextOpsgenie, ct)));
        documents.AddRange(Named("services", await LinkedListAsync("services", Url($"v1/services?limit={OpsgenieLimit}&offset=0"), "data", NextOpsgenie, ct)));
        documents.AddRange(Named("integrations", await LinkedListAsync("integrations", Url("v2/integrations"), "data", NextOpsgenie, ct)));
        return documents;
    }

    private static string? NextOpsgenie(JsonElement root) =>
        root.TryGetProperty("paging", out var paging) && paging.ValueKind == JsonValueKind.Object
        && paging.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;

    // ---- Grafana OnCall public API v1: { count, next, previous, results }.

    private async Task<List<FetchedDocument>> GrafanaOnCallAsync(CancellationToken ct)
    {
        var documents = new List<FetchedDocument>();
        foreach (var kind in new[] { "users", "schedules", "on_call_shifts", "escalation_chains", "escalation_policies", "integrations", "webhooks" })
        {
            documents.AddRange(Named(kind, await LinkedListAsync(kind.Replace('_', ' '), Url($"api/v1/{kind}/"), "results", NextGrafana, ct)));
        }

        return documents;
    }

    private static string? NextGrafana(JsonElement root) =>
        root.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;

    /// <summary>A list whose pages link to the next one (Opsgenie's <c>paging.next</c>, Grafana OnCall's <c>next</c>).</summary>
    private async Task<List<Page>> LinkedListAsync(string what, Uri first, string key, Func<JsonElement, string?> nextOf, CancellationToken ct)
    {
        var pages = new List<Page>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var url = first;
        for (var n = 1; ; n++)
        {
            seen.Add(url.AbsoluteUri);
            var page = await GetAsync(url, what, n, ct);
            Expect(page, key, JsonValueKind.Array, "GET /" + first.AbsolutePath[_base.AbsolutePath.Length..]);
            pages.Add(page);
            var next = nextOf(page.Root);
            if (string.IsNullOrEmpty(next))
            {
                return pages;
            }

            url = FollowLink(next, page);
            if (seen.Contains(url.AbsoluteUri))
            {
                throw Fail($"{_name} answered {Where(page)} with a next link to a page already fetched ({url.AbsoluteUri}); the listing cannot go on. Save the files by hand (docs/migrating.md)", ExitCodes.Failed);
            }

            Guard(n, page);
        }
    }

    /// <summary>
    /// A next link from the API, resolved against the page. The key goes only to the host of <c>--api-url</c>:
    /// a link to another host ends the fetch; a link on the same host keeps <c>--api-url</c>'s scheme and port
    /// (an API behind a TLS proxy may build its links with http).
    /// </summary>
    private Uri FollowLink(string next, Page page)
    {
        if (!Uri.TryCreate(page.Url, next, out var link) || (link.Scheme != Uri.UriSchemeHttp && link.Scheme != Uri.UriSchemeHttps))
        {
            throw Fail($"{_name} answered {Where(page)} with a next link `{Clip(next)}` that is not a URL; check --api-url, or save the files by hand (docs/migrating.md)", ExitCodes.Failed);
        }

        if (!string.Equals(link.Host, _base.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw Fail($"{_name} answered {Where(page)} with a next link to another host ({link.Host}); Vigil sends the key only to {_base.Host}. "
                + $"If {link.Host} is the API's real address, give it as --api-url", ExitCodes.Failed);
        }

        return new UriBuilder(link) { Scheme = _base.Scheme, Port = _base.Port }.Uri;
    }

    private void Guard(int n, Page page)
    {
        if (n >= MaxPages)
        {
            throw Fail($"{_name} answered {Where(page)} and still had more after {MaxPages} pages; stopped. Save the files by hand (docs/migrating.md)", ExitCodes.Failed);
        }
    }

    // ---- HTTP: one GET with retries.

    private async Task<Page> GetAsync(Uri url, string what, int pageNumber, CancellationToken ct)
    {
        var started = _clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            _progress(Redact($"GET {url.AbsoluteUri} ({what}, page {pageNumber}{(attempt > 1 ? $", try {attempt} of {_retry.MaxTries}" : string.Empty)})"));
            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                Authorize(request);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var body = await ReadAsync(response, url, what, pageNumber, ct);
                    return Parse(url, what, pageNumber, body, response.Content.Headers.ContentType?.MediaType);
                }

                if (status is 401 or 403)
                {
                    throw Fail(Refused(status, url), ExitCodes.Auth);
                }

                if (status is 429 or >= 500)
                {
                    failure = $"{status} {Reason(response)}";
                    retryAfter = RetryAfter(response);
                    if (retryAfter > _retry.MaxRetryAfter)
                    {
                        throw Fail($"{_name} answered GET {url.AbsoluteUri} ({what}, page {pageNumber}) with {failure} and asks to wait {Seconds(retryAfter.Value)} (Retry-After), "
                            + $"longer than the {Seconds(_retry.MaxRetryAfter)} Vigil waits; run the import again after {(_clock.GetUtcNow() + retryAfter.Value).ToString("HH:mm", CultureInfo.InvariantCulture)} UTC", ExitCodes.Failed);
                    }
                }
                else
                {
                    if (status is >= 300 and < 400)
                    {
                        // Redirects are not followed: the key would go wherever the answer points.
                        var to = response.Headers.Location is { } location ? new Uri(url, location).AbsoluteUri : "nowhere (no Location)";
                        throw Fail($"{_name} answered GET {url.AbsoluteUri} ({what}, page {pageNumber}) with {status} {Reason(response)} to {to}; "
                            + "Vigil does not follow redirects with the key: if that is the API's address, give its base as --api-url", ExitCodes.Failed);
                    }

                    var detail = await ErrorDetailAsync(response, ct);
                    throw Fail($"{_name} answered GET {url.AbsoluteUri} ({what}, page {pageNumber}) with {status} {Reason(response)}{detail}; "
                        + (status == 404 ? $"check --api-url (it should be the {_name} API's base URL, like {Example})" : "check --api-url and the key's permissions"), ExitCodes.Failed);
                }
            }
            catch (HttpRequestException ex)
            {
                failure = $"could not connect ({Inner(ex)})";
            }
            catch (IOException ex)
            {
                failure = $"could not connect (the answer was cut short: {Inner(ex)})";
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"no answer within {Seconds(_retry.RequestTimeout)}";
            }

            if (attempt >= _retry.MaxTries)
            {
                var elapsed = _clock.GetUtcNow() - started;
                var rateLimited = failure.StartsWith("429", StringComparison.Ordinal);
                var unreachable = failure.StartsWith("could not", StringComparison.Ordinal) || failure.StartsWith("no answer", StringComparison.Ordinal);
                throw Fail($"gave up on GET {url.AbsoluteUri} ({what}, page {pageNumber}) after {attempt} tries: "
                    + (unreachable ? failure : $"{_name} answered {failure}") + " each time"
                    + (elapsed > TimeSpan.Zero ? $" (over {Seconds(elapsed)})" : string.Empty)
                    + (rateLimited ? ". The key is rate-limited: wait a few minutes (other tools using the same key count too) and run the import again."
                        : unreachable ? $". Check --api-url ({_base.AbsoluteUri}) and the network, and run the import again."
                        : $". {_name} has a problem: check its status page and run the import again later."),
                    unreachable ? ExitCodes.Unreachable : ExitCodes.Failed);
            }

            var wait = retryAfter ?? Backoff(attempt);
            _progress(Redact($"  {(failure.StartsWith("could not", StringComparison.Ordinal) || failure.StartsWith("no answer", StringComparison.Ordinal) ? failure : $"{_name} answered {failure}")}; waiting {Seconds(wait)}{(retryAfter is null ? string.Empty : " (Retry-After)")} before try {attempt + 1} of {_retry.MaxTries}"));
            await _delay(wait, ct);
        }
    }

    private string Example => DefaultUrl(_vendor) ?? "https://oncall.example.com or your Grafana Cloud OnCall API URL";

    private void Authorize(HttpRequestMessage request)
    {
        switch (_vendor)
        {
            case ImportVendor.PagerDuty:
                request.Headers.TryAddWithoutValidation("Authorization", "Token token=" + _key);
                request.Headers.TryAddWithoutValidation("Accept", "application/vnd.pagerduty+json;version=2");
                break;
            case ImportVendor.Opsgenie:
                request.Headers.TryAddWithoutValidation("Authorization", "GenieKey " + _key);
                request.Headers.TryAddWithoutValidation("Accept", "application/json");
                break;
            default:
                request.Headers.TryAddWithoutValidation("Authorization", _key);
                request.Headers.TryAddWithoutValidation("Accept", "application/json");
                break;
        }
    }

    private string Refused(int status, Uri url)
    {
        var what = status == 401 ? "refused the API key (401 Unauthorized)" : "refused access with this API key (403 Forbidden)";
        var fix = _vendor switch
        {
            ImportVendor.PagerDuty => "use a REST API key (PagerDuty: Integrations → API Access Keys; a read-only key is enough) or a user token with read access",
            ImportVendor.Opsgenie => "use an API key of an Opsgenie API integration with read access (Settings → API key management), and --api-url https://api.eu.opsgenie.com for an EU account",
            _ => "use a Grafana OnCall API token (OnCall → Settings → API tokens) of a user who can read schedules and escalation chains, and check --api-url",
        };
        return $"{_name} {what} at GET {url.AbsoluteUri}: {fix}";
    }

    /// <summary>Retry-After as seconds or an HTTP date (a date in the past is no wait).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - _clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(_retry.FirstBackoff.Ticks * factor, _retry.MaxBackoff.Ticks));
        return wait;
    }

    private async Task<byte[]> ReadAsync(HttpResponseMessage response, Uri url, string what, int pageNumber, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > ImportFiles.MaxFileBytes)
            {
                throw Fail($"{_name} answered GET {url.AbsoluteUri} ({what}, page {pageNumber}) with more than {ImportFiles.MaxFileBytes} bytes, more than an import reads; check --api-url", ExitCodes.Failed);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private Page Parse(Uri url, string what, int pageNumber, byte[] body, string? mediaType)
    {
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return new Page(url, what, pageNumber, doc.RootElement.Clone(), body);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            throw Fail($"{_name} answered GET {url.AbsoluteUri} ({what}, page {pageNumber}) with something that is not JSON ({mediaType ?? "no content type"}{where}); "
                + $"check that --api-url is the {_name} API's base URL, like {Example}", ExitCodes.Failed);
        }
    }

    /// <summary>Checks the page has the documented top-level <paramref name="key"/>; returns the number of items.</summary>
    private int Expect(Page page, string key, JsonValueKind kind, string endpoint)
    {
        if (page.Root.ValueKind != JsonValueKind.Object || !page.Root.TryGetProperty(key, out var value) || value.ValueKind != kind)
        {
            var found = page.Root.ValueKind != JsonValueKind.Object ? "it is not a JSON object"
                : page.Root.TryGetProperty(key, out var v) ? $"`{key}` is {Kind(v.ValueKind)}"
                : $"it has no `{key}` (it has {string.Join(", ", page.Root.EnumerateObject().Take(5).Select(p => $"`{Clip(p.Name)}`"))})";
            throw Fail($"{_name} answered {Where(page)} with an unexpected shape: {found}, where {endpoint} returns {Kind(kind)} `{key}`; "
                + $"check that --api-url is the {_name} API's base URL, like {Example}", ExitCodes.Failed);
        }

        return kind == JsonValueKind.Array ? value.GetArrayLength() : 1;
    }

    private string Id(JsonElement item, Page page, string key)
    {
        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            return id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
        }

        throw Fail($"{_name} answered {Where(page)} with an item of `{key}` without an `id`; check --api-url", ExitCodes.Failed);
    }

    private static string Where(Page page) => $"GET {page.Url.AbsoluteUri} ({page.What}, page {page.Number})";

    private static IEnumerable<FetchedDocument> Named(string kind, List<Page> pages)
    {
        var width = Math.Max(3, pages.Count.ToString(CultureInfo.InvariantCulture).Length);
        return pages.Select((p, i) => p.As(pages.Count == 1 ? $"{kind}.json" : $"{kind}-{(i + 1).ToString("D" + width, CultureInfo.InvariantCulture)}.json"));
    }

    /// <summary>All pages' <paramref name="key"/> items in one document (one file per schedule, as the importers read overrides).</summary>
    private static FetchedDocument Merge(List<Page> pages, string key, string file)
    {
        if (pages.Count == 1)
        {
            return pages[0].As(file);
        }

        var items = new Nodes.JsonArray();
        foreach (var page in pages)
        {
            foreach (var item in page.Root.GetProperty(key).EnumerateArray())
            {
                items.Add(Nodes.JsonNode.Parse(item.GetRawText()));
            }
        }

        var json = Encoding.UTF8.GetBytes(new Nodes.JsonObject { [key] = items }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        using var doc = JsonDocument.Parse(json);
        var source = $"GET {pages[0].Url.AbsoluteUri} ({pages[0].What}, {pages.Count} pages)";
        return new FetchedDocument(new ImportDocument(file, doc.RootElement.Clone()) { Source = source }, json);
    }

    private Uri Url(string relative) => new(_base, relative);

    private VendorFetchException Fail(string message, int exitCode) => new(Redact(message), exitCode);

    private async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length == 0 ? string.Empty : $" ({Clip(Core.Text.TerminalText.Sanitize(text), 200)})";
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static string Reason(HttpResponseMessage response) =>
        response.ReasonPhrase is { Length: > 0 } r ? r : response.StatusCode == HttpStatusCode.TooManyRequests ? "Too Many Requests" : response.StatusCode.ToString();

    private static string Inner(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.TrimEnd('.');
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds < 10 && t.TotalSeconds % 1 != 0
        ? $"{t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
        : $"{Math.Round(t.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A vendor id as part of a file name.</summary>
    private static string Safe(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Clip(string s, int max = 60) => s.Length <= max ? s : s[..(max - 3)] + "...";

    private sealed record Page(Uri Url, string What, int Number, JsonElement Root, byte[] Body)
    {
        public FetchedDocument As(string file) => new(new ImportDocument(file, Root) { Source = $"GET {Url.AbsoluteUri} ({What}, page {Number})" }, Body);
    }
}
