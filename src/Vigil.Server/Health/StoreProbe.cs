using Vigil.Core.Storage;

namespace Vigil.Server.Health;

/// <summary>
/// The readiness probe write, shared: callers that arrive while a probe is in flight await that one
/// instead of queueing writes of their own, so unauthenticated <c>/readyz</c> traffic costs at most
/// one store write at a time and cannot starve intake.
/// </summary>
internal sealed class StoreProbe(IVigilStore store)
{
    /// <summary>Longest a probe waits for its write (it queues behind other writes).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Task<string?>? _inflight;

    /// <summary>Null when a probe write committed, else why not.</summary>
    public Task<string?> CheckAsync()
    {
        lock (_gate)
        {
            return _inflight ??= RunAsync();
        }
    }

    private async Task<string?> RunAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                return await store.ProbeWriteAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return $"a probe write did not commit within {Timeout.TotalSeconds:0} s";
            }
        }
        finally
        {
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }
}
