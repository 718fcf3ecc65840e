using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Vigil.Server.Http;

/// <summary>
/// Reads a JSON request body into a request type, turning every way a body can be bad
/// (wrong content type, too large, not JSON, wrong shape) into a 4xx ProblemDetails with the
/// position of the fault, instead of an exception.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct, JsonSerializerOptions? options = null)
        where T : class
    {
        if (!HasBody(request))
        {
            return (null, Problems.Invalid("body", "The request needs a JSON body."));
        }

        return await ReadPresentAsync<T>(request, ct, options ?? VigilJson.Options);
    }

    /// <summary>Like <see cref="ReadAsync{T}"/>, but a request without a body yields <paramref name="empty"/>.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadOptionalAsync<T>(HttpRequest request, T empty, CancellationToken ct)
        where T : class =>
        HasBody(request) ? await ReadPresentAsync<T>(request, ct, VigilJson.Options) : (empty, null);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static async Task<(T? Value, IResult? Error)> ReadPresentAsync<T>(HttpRequest request, CancellationToken ct, JsonSerializerOptions options)
        where T : class
    {

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, ct);
            return value is null ? (null, Problems.Invalid("body", "The JSON body must be an object, not null.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$', '.');
            var line = ex.LineNumber is { } l ? $" (line {l + 1}, byte {ex.BytePositionInLine + 1})" : "";
            // Conversion errors name .NET types; say what the client can act on instead.
            var what = ex.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? (field == "body" ? "the body must be a JSON object with this request's fields" : $"'{field}' has the wrong JSON type")
                : FirstSentence(ex.Message);
            return (null, Problems.Invalid(field, $"The body is not valid JSON for this request{line}: {what}."));
        }

        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body is larger than the server's limit of {request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (vigil.max_request_body_bytes)."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problems.Status(ex.StatusCode, "Bad request", ex.Message));
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}
