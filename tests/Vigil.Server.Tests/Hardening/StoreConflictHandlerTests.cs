using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Server.Health;

namespace Vigil.Server.Tests.Hardening;

/// <summary>A real duplicate is the caller's 409; a request that only lost races with other writers is 503 with Retry-After, which senders retry.</summary>
public sealed class StoreConflictHandlerTests
{
    [Theory]
    [InlineData(false, StatusCodes.Status409Conflict, "")]
    [InlineData(true, StatusCodes.Status503ServiceUnavailable, "1")]
    public async Task Conflict_IsAnsweredByWhetherSendingItAgainCanSucceed(bool retryable, int status, string retryAfter)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        var conflict = new StoreConflictException("another writer changed the same data at the same time", new InvalidOperationException("x"), retryable);

        Assert.True(await new StoreConflictHandler().TryHandleAsync(http, conflict, CancellationToken.None));

        Assert.Equal(status, http.Response.StatusCode);
        Assert.Equal(retryAfter, http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        Assert.Contains("another writer changed the same data", await new StreamReader(http.Response.Body).ReadToEndAsync(), StringComparison.Ordinal);
    }
}
