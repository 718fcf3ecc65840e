using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Storage;

namespace Vigil.Server.Health;

/// <summary>
/// Answers every route whose store write collided with another write with 409 (a unique key already taken), or with 503 and
/// <c>Retry-After</c> when the request only lost races with concurrent writers more often than the store retries (on
/// PostgreSQL with several nodes: serialization failures, the audit chain's next entry), so senders such as Prometheus and
/// Alertmanager, which retry 5xx but drop 4xx, send it again. Never 500: nothing of the request was stored, and the reason
/// names the key, never row data.
/// </summary>
internal sealed class StoreConflictHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreConflictException conflict)
        {
            return false;
        }

        var status = conflict.Retryable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status409Conflict;
        httpContext.Response.StatusCode = status;
        if (conflict.Retryable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        await Results.Problem(
            detail: $"Vigil could not store this request: {conflict.Reason}.",
            statusCode: status,
            title: conflict.Retryable ? "Busy: send it again" : "Conflict").ExecuteAsync(httpContext);
        return true;
    }
}
