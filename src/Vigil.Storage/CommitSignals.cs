using Vigil.Core.Storage;

namespace Vigil.Storage;

/// <summary>
/// Wakes loops waiting for commits: one completion per <see cref="CommitTopics"/> bit plus one for any
/// commit. A store calls <see cref="Committed"/> after each transaction commits, with the topics its
/// session raised; each completed waiter is replaced by a fresh one, so a waiter sees only commits after it asked.
/// Narrow topics are completed before broad ones (the highest bit first, "any commit" last): a loop woken by
/// <see cref="CommitTopics.Incidents"/> then finds <see cref="CommitTopics.Openings"/> or
/// <see cref="CommitTopics.SeverityRaised"/>, raised with it, already set when it looks.
/// </summary>
internal sealed class CommitSignals
{
    private static readonly int TopicCount = Enum.GetValues<CommitTopics>().Where(t => t != CommitTopics.None).Max(t => System.Numerics.BitOperations.Log2((uint)t)) + 1;

    private readonly TaskCompletionSource[] _topics = Enumerable.Range(0, TopicCount).Select(_ => Fresh()).ToArray();
    private TaskCompletionSource _any = Fresh();

    public void Committed(CommitTopics raised)
    {
        for (var bit = _topics.Length - 1; bit >= 0; bit--)
        {
            if (((int)raised & (1 << bit)) != 0)
            {
                Interlocked.Exchange(ref _topics[bit], Fresh()).TrySetResult();
            }
        }

        Interlocked.Exchange(ref _any, Fresh()).TrySetResult();
    }

    public Task NextAsync(CancellationToken ct) => Volatile.Read(ref _any).Task.WaitAsync(ct);

    public Task NextAsync(CommitTopics topics, CancellationToken ct)
    {
        var waits = new List<Task>(_topics.Length);
        for (var bit = 0; bit < _topics.Length; bit++)
        {
            if (((int)topics & (1 << bit)) != 0)
            {
                waits.Add(Volatile.Read(ref _topics[bit]).Task);
            }
        }

        return waits.Count switch
        {
            0 => Task.Delay(Timeout.Infinite, ct),
            1 => waits[0].WaitAsync(ct),
            _ => Task.WhenAny(waits).WaitAsync(ct),
        };
    }

    private static TaskCompletionSource Fresh() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
