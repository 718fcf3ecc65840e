using System.Runtime.CompilerServices;
using Vigil.Server.Api;

namespace Vigil.Server.Runbooks;

/// <summary>
/// The events of one run in memory, for live streaming: readers start from the first event (a late
/// reader sees everything so far) and wait for more until the run ends. Output events are bounded per
/// step by the caller, so the log stays bounded too.
/// </summary>
internal sealed class RunEventLog
{
    private readonly Lock _lock = new();
    private readonly List<RunEventView> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    public void Publish(RunEventView e)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            _events.Add(e);
            _ended = e.Type == RunEventType.End;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public async IAsyncEnumerable<RunEventView> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var next = 0;
        while (true)
        {
            RunEventView[] batch;
            Task changed;
            bool ended;
            lock (_lock)
            {
                batch = _events.GetRange(next, _events.Count - next).ToArray();
                next = _events.Count;
                changed = _changed.Task;
                ended = _ended;
            }

            foreach (var e in batch)
            {
                yield return e;
            }

            if (ended)
            {
                yield break;
            }

            await changed.WaitAsync(ct);
        }
    }
}
