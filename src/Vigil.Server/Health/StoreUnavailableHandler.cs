using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Storage;

namespace Vigil.Server.Health;

/// <summary>
/// Answers every route whose store work failed because the store cannot be used (full disk,
/// read-only, corrupt, removed) with 503 and <c>Retry-After</c>, never 500: the request was not
/// stored, and a client that retries later loses nothing. The failure goes to the
/// <see cref="HealthBoard"/> (readiness, rate-limited log) instead of one error log per request.
/// </summary>
internal sealed class StoreUnavailableHandler(HealthBoard health) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before retrying.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreUnavailableException unavailable)
        {
            return false;
        }

        health.Failed(HealthBoard.Store, unavailable);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Results.Problem(
            detail: $"Vigil could not store this request: {unavailable.Reason}. Nothing was changed; send it again later.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Store unavailable").ExecuteAsync(httpContext);
        return true;
    }
}
