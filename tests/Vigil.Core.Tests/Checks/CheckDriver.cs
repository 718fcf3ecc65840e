using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Checks;

/// <summary>
/// Feeds results to <see cref="CheckStateMachine"/> the way the check loop does, with time from a
/// <see cref="FakeTimeProvider"/>, and records every change it returns.
/// </summary>
internal sealed class CheckDriver
{
    public static readonly DateTimeOffset Start = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time;
    private readonly CheckConfig _config;
    private readonly FlappingPolicy? _flapping;

    public CheckDriver(CheckConfig config, FlappingPolicy? flapping = null)
    {
        _config = config;
        _flapping = flapping;
        _time = new FakeTimeProvider(Start);
        Status = CheckStatus.Initial("edge-api/health", Start);
    }

    public CheckStatus Status { get; private set; }

    public List<StateChange> Changes { get; } = [];

    public DateTimeOffset Now => _time.GetUtcNow();

    public static CheckConfig Config(int failAfter = 1, int passAfter = 1, TimeSpan? @for = null) => new()
    {
        Id = "health",
        FailAfter = failAfter,
        PassAfter = passAfter,
        For = @for ?? TimeSpan.Zero,
    };

    public StateChange? Apply(ProbeResult result)
    {
        var (status, change) = CheckStateMachine.Apply(Status, result, _config, Now, _flapping);
        Status = status;
        if (change is not null)
        {
            Changes.Add(change);
        }

        return change;
    }

    public StateChange? ApplyAfter(TimeSpan delay, ProbeResult result)
    {
        _time.Advance(delay);
        return Apply(result);
    }

    /// <summary>Applies the same result <paramref name="times"/> times, one interval apart, and returns the changes seen.</summary>
    public List<StateChange> ApplyMany(int times, TimeSpan every, ProbeResult result)
    {
        var changes = new List<StateChange>();
        for (var i = 0; i < times; i++)
        {
            if (ApplyAfter(every, result) is { } change)
            {
                changes.Add(change);
            }
        }

        return changes;
    }

    public void Advance(TimeSpan delay) => _time.Advance(delay);

    public void SetPaused(bool paused) => Status = CheckStateMachine.SetPaused(Status, paused, Now);
}
