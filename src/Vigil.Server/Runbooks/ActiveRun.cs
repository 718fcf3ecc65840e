using Vigil.Core.Runbooks;

namespace Vigil.Server.Runbooks;

/// <summary>A run this server holds in memory: its plan (with secret values), live events and controls.</summary>
internal sealed class ActiveRun(RunbookRun run, RunStart start, CancellationToken stopping)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _launched;

    /// <summary>The run as last recorded.</summary>
    public RunbookRun Run { get; set; } = run;

    public RunStart Start { get; } = start;

    public RunEventLog Events { get; } = new();

    /// <summary>The server's stopping token: rollback steps run until the server stops, even after a cancel.</summary>
    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Cancelled by a person's cancel, or when the server stops.</summary>
    public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    /// <summary>The confirmation the run waits for, while it waits.</summary>
    public TaskCompletionSource<(ConfirmAnswer Answer, string By)>? Pending { get; set; }

    public string? CancelledBy { get; set; }

    public string? CancelReason { get; set; }

    public bool Started => Volatile.Read(ref _launched) == 1;

    public Task Done => _done.Task;

    /// <summary>Starts executing the run, once; later calls do nothing.</summary>
    public void TryLaunch(Func<ActiveRun, Task> execute)
    {
        if (Interlocked.Exchange(ref _launched, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            // A run belongs to the node executing it, not to the leader that may have scheduled it: its writes are not fenced.
            using var unfenced = Vigil.Core.Storage.WriteFence.Suppress();
            try
            {
                await execute(this);
            }
            finally
            {
                MarkDone();
            }
        });
    }

    public void MarkDone() => _done.TrySetResult();
}
