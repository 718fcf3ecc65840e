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
            if (_inflight is { } running)
            {
                return running;
            }

            // A probe can finish before RunAsync returns (a refused connection fails at once, an idle write lock is
            // taken at once): its finally then cleared _inflight already, and keeping the finished task here would
            // answer every later probe with that one result, for as long as the server runs. Only one still running
            // is shared; its finally clears it once it is done (it waits for this lock to do so).
            var probe = RunAsync();
            if (!probe.IsCompleted)
            {
                _inflight = probe;
            }

            return probe;
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
