using System.Threading.Channels;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// Copies committed WAL frames into the database file off the commit path. SQLite's own
/// auto-checkpoint runs inside whichever commit crosses its threshold, so that commit (and Vigil's
/// write lock with it) waits for the copy and an fsync of the database file: tens of milliseconds
/// on a busy disk, seen as intake latency stalls. Here a background task runs a PASSIVE checkpoint,
/// which never blocks writers or readers, after every <see cref="CommitsPerCheckpoint"/> commits.
/// The WAL restarts from its beginning only after a checkpoint that caught up with the last commit,
/// so the store finishes with one short round under its write lock when passive rounds cannot catch
/// up with a steady stream of commits. The store's connections keep a higher auto-checkpoint
/// threshold only as a backstop.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>Commits between background checkpoints: an intake batch commit appends some 50–100 WAL pages, so about SQLite's default of 1,000 pages.</summary>
    public const int CommitsPerCheckpoint = 16;

    private readonly Func<CancellationToken, Task> _checkpoint;
    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _commits;
    private TaskCompletionSource _checkpointed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SqliteCheckpointer(Func<CancellationToken, Task> checkpoint)
    {
        _checkpoint = checkpoint;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Checkpoints finished so far (successful or not).</summary>
    public long Runs { get; private set; }

    /// <summary>The last checkpoint's failure, or null after a success.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Called after each commit; wakes the background checkpoint every <see cref="CommitsPerCheckpoint"/> commits.</summary>
    public void Committed()
    {
        if (Interlocked.Increment(ref _commits) >= CommitsPerCheckpoint)
        {
            Interlocked.Exchange(ref _commits, 0);
            _due.Writer.TryWrite(true);
        }
    }

    /// <summary>Completes when the next background checkpoint has finished.</summary>
    public Task NextCheckpointAsync(CancellationToken ct) => Volatile.Read(ref _checkpointed).Task.WaitAsync(ct);

    private async Task LoopAsync()
    {
        try
        {
            while (await _due.Reader.WaitToReadAsync(_stop.Token))
            {
                _due.Reader.TryRead(out _);
                try
                {
                    await _checkpoint(_stop.Token);
                    LastError = null;
                }
                catch (Exception ex) when (!_stop.IsCancellationRequested)
                {
                    // A failed checkpoint loses nothing (the frames stay in the WAL); the next one, or
                    // SQLite's backstop auto-checkpoint, copies them. Commits report real store failures.
                    LastError = ex;
                }

                Runs++;
                Interlocked.Exchange(ref _checkpointed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops the loop and waits for a running checkpoint, so the store can close its connections after.</summary>
    public async ValueTask DisposeAsync()
    {
        _due.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
