using Microsoft.AspNetCore.Http;
using Vigil.Core.Results;

namespace Vigil.Server.Http;

/// <summary>
/// A change that cannot be made, found inside a store transaction: thrown there so nothing of the
/// change commits, and answered as the 404 or 409 it describes. Code outside a transaction returns a
/// <see cref="Refused"/> (in an <see cref="Outcome{T}"/>) instead.
/// </summary>
internal sealed class Refusal(int status, string detail) : Exception(detail)
{
    /// <summary>The refusal as Core's plain value.</summary>
    public Refused Refused => new(status == StatusCodes.Status404NotFound ? RefusalKind.NotFound : RefusalKind.Conflict, Message);

    public IResult Result => Refused.ToProblem();
}

/// <summary>A store write whose work may refuse (throw <see cref="Refusal"/>): the refusal rolls it back and is the answer.</summary>
internal static class RefusableWrite
{
    public static async Task<IResult> RunAsync<T>(Vigil.Core.Storage.IVigilStore store, Func<Vigil.Core.Storage.IStoreSession, CancellationToken, Task<T>> work,
        Func<T, IResult> answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            return answer(await store.WriteAsync(work, ct));
        }
        catch (Refusal r)
        {
            return r.Result;
        }
    }
}
