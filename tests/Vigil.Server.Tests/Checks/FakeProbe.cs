using System.Collections.Concurrent;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Server.Checks;

namespace Vigil.Server.Tests.Checks;

/// <summary>
/// A probe whose outcome the test decides, recording when each check started (fake clock time)
/// and how many runs of the same check overlapped.
/// </summary>
internal sealed class FakeProbe(TimeProvider time) : ICheckProbe
{
    private readonly ConcurrentDictionary<string, int> _running = new();

    public ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> Starts { get; } = new();

    public ConcurrentDictionary<string, ProbeResult> Outcomes { get; } = new();

    /// <summary>When set, probes of these check ids wait until released.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    public int MaxOverlap { get; private set; }

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        Starts.GetOrAdd(check.Id, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(time.GetUtcNow());
        var running = _running.AddOrUpdate(check.Id, 1, (_, n) => n + 1);
        lock (this)
        {
            MaxOverlap = Math.Max(MaxOverlap, running);
        }

        try
        {
            if (Gates.TryGetValue(check.Id, out var gate))
            {
                await gate.Task.WaitAsync(ct);
            }

            return Outcomes.TryGetValue(check.Id, out var r) ? r : ProbeResult.Ok(TimeSpan.FromMilliseconds(12), "fake ok");
        }
        finally
        {
            _running.AddOrUpdate(check.Id, 0, (_, n) => n - 1);
        }
    }
}
