using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Vigil.Cli;

/// <summary>
/// The CLI's HTTP client. Every failure becomes a <see cref="CliException"/> with one clear
/// sentence and a named exit code; no stack trace reaches the user.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly bool _hasToken;
    private readonly System.Text.Json.JsonSerializerOptions _read;
    private readonly bool _forTerminal;

    /// <param name="forTerminal">
    /// True when answers are printed as text: every string read from the server is made terminal-safe
    /// (<see cref="Vigil.Core.Text.TerminalText"/>). False for JSON output, which keeps the exact text.
    /// </param>
    public ApiClient(string server, string? token, bool forTerminal = true, TimeSpan? timeout = null)
    {
        _server = server;
        _forTerminal = forTerminal;
        _read = forTerminal ? CliJson.ForTerminal : CliJson.Options;
        _hasToken = !string.IsNullOrEmpty(token);
        if (!Uri.TryCreate(server + "/", UriKind.Absolute, out var baseUri) || (baseUri.Scheme != "http" && baseUri.Scheme != "https"))
        {
            throw new CliException(ExitCodes.Usage, $"The server URL '{server}' is not valid; use for example --server http://127.0.0.1:8080.");
        }

        _http = new HttpClient { BaseAddress = baseUri, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (_hasToken)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken ct) => SendAsync<T>(HttpMethod.Post, path, body, ct);

    public Task<T> DeleteAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Delete, path, null, ct);

    /// <summary>Sends a DELETE whose success answer has no body (204).</summary>
    public Task DeleteNoContentAsync(string path, CancellationToken ct) => SendNoContentAsync(HttpMethod.Delete, path, ct);

    /// <summary>Sends a POST without a body whose success answer has no body (204).</summary>
    public Task PostNoContentAsync(string path, CancellationToken ct) => SendNoContentAsync(HttpMethod.Post, path, ct);

    private async Task SendNoContentAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, null, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, ct);
        }
    }

    /// <summary>Sends and returns the answer as text (for routes that answer Markdown).</summary>
    public async Task<string> SendTextAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, null, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, ct);
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        return _forTerminal ? Vigil.Core.Text.TerminalText.Sanitize(text) : text;
    }

    /// <summary>Sends and returns the status with the raw body, for routes whose non-2xx answers carry data (422 reload).</summary>
    public async Task<(HttpStatusCode Status, T? Body)> SendAllowingAsync<T>(HttpMethod method, string path, object? body, HttpStatusCode allowed, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, ct);
        if (response.StatusCode == allowed || response.IsSuccessStatusCode)
        {
            return (response.StatusCode, await ReadAsync<T>(response, ct));
        }

        throw await FailureAsync(response, ct);
    }

    /// <summary>
    /// Reads a server-sent event stream: yields (event, data) pairs until the server ends it. The request
    /// timeout covers the headers only, so a long run can stream for as long as it takes.
    /// </summary>
    public async IAsyncEnumerable<(string Event, string Data)> StreamEventsAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, ct);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            var name = "message";
            var data = new System.Text.StringBuilder();
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        yield return (name, data.ToString());
                    }

                    name = "message";
                    data.Clear();
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line[6..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line[5..].TrimStart());
                }
            }
        }
    }

    /// <summary>Sends a GET and returns the answer once its headers arrived, for bodies read as a stream (an export); the caller disposes it.</summary>
    public async Task<HttpResponseMessage> GetStreamingAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await FailureAsync(response, ct);
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>POSTs <paramref name="content"/> as it is (not JSON-encoded) and reads a JSON answer.</summary>
    public async Task<T> PostContentAsync<T>(string path, HttpContent content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"The Vigil server at {_server} did not answer within {_http.Timeout.TotalSeconds:0} s.");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, ct);
            }

            return await ReadAsync<T>(response, ct) ?? throw new CliException(ExitCodes.Failed, $"The server at {_server} sent an empty answer to {path}.");
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, ct);
        }

        return await ReadAsync<T>(response, ct) ?? throw new CliException(ExitCodes.Failed, $"The server at {_server} sent an empty answer to {path}.");
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: CliJson.Options);
        }

        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"The Vigil server at {_server} did not answer within {_http.Timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>
    /// One sentence for a request that got no HTTP answer: what happened at which URL, and the likely fix.
    /// The usual causes are named (nothing listening, unknown host, http/https mismatch, an untrusted
    /// certificate) instead of .NET's "see inner exception".
    /// </summary>
    private CliException Unreachable(HttpRequestException ex)
    {
        var https = _server.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        var socket = ex.InnerException as SocketException;
        var authentication = ex.InnerException as System.Security.Authentication.AuthenticationException;
        var why = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused =>
                "connection refused: nothing listens there. Start the server ('vigil serve', or 'vigil demo'), or point --server / VIGIL_SERVER at the address it listens on",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                "host not found. Check the host name in --server / VIGIL_SERVER",
            SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable =>
                "the host does not answer (timed out or unreachable). Check the address and any firewall between here and the server",
            _ when socket is not null => $"{socket.Message}. Check --server / VIGIL_SERVER",
            _ when https && authentication?.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) == true =>
                $"its TLS certificate is not trusted here ({authentication.Message.TrimEnd('.')}). Trust the certificate's CA on this machine, or use the URL the certificate was issued for",
            _ when https && ex.HttpRequestError == HttpRequestError.SecureConnectionError =>
                $"the TLS handshake failed; the server probably speaks plain HTTP on that port. Use --server {SwapScheme("http")}",
            _ when !https && ex.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse =>
                $"the connection closed without an HTTP answer; the server probably speaks HTTPS on that port. Use --server {SwapScheme("https")}",
            _ => $"{ex.Message.TrimEnd('.')}. Check --server / VIGIL_SERVER",
        };
        return new CliException(ExitCodes.Unreachable, $"Cannot reach the Vigil server at {_server}: {why}.");
    }

    private string SwapScheme(string scheme) => scheme + _server[_server.IndexOf(':', StringComparison.Ordinal)..];

    private async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(_read, ct);
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Failed, $"The server's answer was not the JSON this CLI expects ({ex.Message}); are the CLI and server the same version?");
        }
    }

    private async Task<CliException> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ProblemBody? problem = null;
        try
        {
            // Printed on stderr as text whatever the output format.
            problem = await response.Content.ReadFromJsonAsync<ProblemBody>(CliJson.ForTerminal, ct);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not ProblemDetails (a proxy page, say): fall back to the status line.
        }

        var detail = problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "no detail";
        if (problem?.Errors is { Count: > 0 } errors)
        {
            detail = string.Join("; ", errors.SelectMany(kv => kv.Value.Select(v => $"{kv.Key}: {v}")));
        }

        var code = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized when !_hasToken => new CliException(ExitCodes.Auth,
                "No API token. Pass --token, set VIGIL_TOKEN, or run on the server host where <data>/admin.token exists (--data DIR)."),
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.Auth,
                $"{detail} (HTTP {code}) Pass a valid token with --token or VIGIL_TOKEN; on the server host the admin token is in <data>/admin.token (--data DIR)."),
            HttpStatusCode.Forbidden => new CliException(ExitCodes.Auth,
                $"{detail} (HTTP {code}) Use a token with that role; an admin can create one with 'vigil token create --name NAME --role ROLE'."),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new CliException(ExitCodes.Usage, $"{detail} (HTTP {code})"),
            _ => new CliException(ExitCodes.Failed, $"{detail} (HTTP {code})"),
        };
    }

    private sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
}
