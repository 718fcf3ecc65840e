using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Storage;

namespace Vigil.Server.Health;

/// <summary>
/// Answers every route whose store write collided with another write (a unique key already taken, or
/// on PostgreSQL a serialization failure that outlasted the store's retries) with 409, never 500: nothing
/// of the request was stored, and the reason names the key, never row data.
/// </summary>
internal sealed class StoreConflictHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreConflictException conflict)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        await Results.Problem(
            detail: $"Vigil could not store this request: {conflict.Reason}.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict").ExecuteAsync(httpContext);
        return true;
    }
}
