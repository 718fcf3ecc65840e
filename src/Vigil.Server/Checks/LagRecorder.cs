namespace Vigil.Server.Checks;

/// <summary>A fixed-size ring of recent schedule lags, for p50/p99 without unbounded memory.</summary>
internal sealed class LagRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private long _count;

    public void Record(TimeSpan lag)
    {
        var i = Interlocked.Increment(ref _count) - 1;
        _ticks[i % _ticks.Length] = Math.Max(0, lag.Ticks);
    }

    public TimeSpan Percentile(double q)
    {
        var n = (int)Math.Min(Interlocked.Read(ref _count), _ticks.Length);
        if (n == 0)
        {
            return TimeSpan.Zero;
        }

        var copy = _ticks[..n];
        Array.Sort(copy);
        return TimeSpan.FromTicks(copy[Math.Min(n - 1, (int)(q * n))]);
    }
}
