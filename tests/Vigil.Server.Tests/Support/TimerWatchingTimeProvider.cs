namespace Vigil.Server.Tests.Support;

/// <summary>
/// A clock that delegates to another (a FakeTimeProvider) and reports each timer created on it, so a
/// test can tell that a background loop has gone to sleep before it commits the work the loop must
/// wake for, without sleeping or advancing time.
/// </summary>
internal sealed class TimerWatchingTimeProvider(TimeProvider inner) : TimeProvider
{
    private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <summary>Completes when the next timer is created (take it before starting what creates one).</summary>
    public Task NextTimerAsync(CancellationToken ct) => Volatile.Read(ref _created).Task.WaitAsync(ct);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        Interlocked.Exchange(ref _created, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return timer;
    }
}
