namespace Vigil.Server.Tests.Support;

/// <summary>
/// Polls a running server for state that real time produces (a demo check going critical, the
/// config watcher noticing a file), with a deadline. Only for state outside the test's clock:
/// time-based logic is tested with FakeTimeProvider instead.
/// </summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan within, string what)
        where T : class
    {
        var deadline = Environment.TickCount64 + (long)within.TotalMilliseconds;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {within.TotalSeconds:0} s of real time");
            }

            await Task.Delay(100);
        }
    }
}
