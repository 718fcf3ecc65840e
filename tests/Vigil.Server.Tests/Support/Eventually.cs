namespace Vigil.Server.Tests.Support;

/// <summary>
/// Waits for a running server to reach some state that real time produces (a demo check going
/// critical, the config watcher noticing a file): reads it, and while it is not there yet awaits
/// the server's next change (a store commit, a reload) before reading again — no sleeping. The
/// deadline only bounds a test that would otherwise hang. Time-based logic is tested with
/// FakeTimeProvider instead.
/// </summary>
internal static class Eventually
{
    /// <param name="probe">Reads the state; null while it is not there yet.</param>
    /// <param name="changed">Completes at the server's next change; taken before each read so no change is missed.</param>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, Func<CancellationToken, Task> changed, TimeSpan within, string what)
        where T : class
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var next = changed(deadline.Token);
                if (await probe() is { } value)
                {
                    return value;
                }

                await next;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} did not happen within {within.TotalSeconds:0} s");
        }
    }
}
