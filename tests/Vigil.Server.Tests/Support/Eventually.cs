namespace Vigil.Server.Tests.Support;

/// <summary>
/// Waits for a running server to reach some state that real time or background work produces (a demo
/// check going critical, the config watcher noticing a file, the engine's change writer committing):
/// reads it, and while it is not there yet awaits the server's next change (a store commit, a reload)
/// before reading again — no sleeping. The deadline only bounds a test that would otherwise hang.
/// Time-based logic is tested with FakeTimeProvider instead.
/// </summary>
internal static class Eventually
{
    /// <param name="read">Reads the state.</param>
    /// <param name="done">Whether what was read is what the test waits for.</param>
    /// <param name="changed">Completes at the server's next change; taken before each read so no change is missed.</param>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<CancellationToken, Task> changed, TimeSpan within, string what)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var next = changed(deadline.Token);
                var value = await read();
                if (done(value))
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

    /// <summary>As <see cref="UntilAsync{T}"/>, for a read that gives null until the state is there.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, Func<CancellationToken, Task> changed, TimeSpan within, string what)
        where T : class =>
        (await UntilAsync(probe, v => v is not null, changed, within, what))!;
}
