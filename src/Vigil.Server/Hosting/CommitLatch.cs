using Vigil.Core.Storage;

namespace Vigil.Server.Hosting;

/// <summary>
/// Whether a commit raised a topic since the loop last took note, for a loop that wakes on a broader topic and wants to skip
/// a costly look when this one was not raised. It waits without a cancellation token, so its task is the store's own
/// completion: done the moment the commit is signalled, never cancelled by the end of a turn. A loop adds
/// <see cref="Raised"/> to its wake-up, so a signal that lands after the sweep looked still wakes it.
/// </summary>
public sealed class CommitLatch(IVigilStore store, CommitTopics topic)
{
    /// <summary>Completes once a commit raises the topic after the last <see cref="Take"/>.</summary>
    public Task Raised { get; private set; } = store.NextCommitAsync(topic, CancellationToken.None);

    /// <summary>True (and waits afresh) if the topic was raised since the last call.</summary>
    public bool Take()
    {
        if (!Raised.IsCompleted)
        {
            return false;
        }

        Raised = store.NextCommitAsync(topic, CancellationToken.None);
        return true;
    }
}
