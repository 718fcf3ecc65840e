using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Config;
using Vigil.Core.Results;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Checks;
using Vigil.Server.Config;

namespace Vigil.Server.Runbooks;

/// <summary>
/// The life of runbook runs on this host: creates runs (refusing frozen mutations up front), holds them for
/// approval, approves, cancels, passes confirmations to a waiting run, expires unapproved runs, and records
/// every end. Executing a started run's steps is <see cref="RunExecutor"/>'s job. Runs in flight when the
/// server stops — or found unfinished at start after a crash — end as <c>interrupted</c>. Expected refusals
/// (no such run, wrong state) are <see cref="Outcome{T}"/> values; HTTP is the endpoints' business.
/// </summary>
internal sealed partial class RunbookRuntime : IHostedService
{
    private readonly IVigilStore _store;
    private readonly ConfigState _config;
    private readonly TimeProvider _time;
    private readonly ILogger<RunbookRuntime> _logger;
    private readonly RunRecorder _recorder;
    private readonly RunExecutor _executor;
    private readonly ConcurrentDictionary<long, ActiveRun> _active = new();
    private readonly CancellationTokenSource _stopping = new();

    // Status changes that people and timers race for (approve, cancel, expire, finish) happen one at a time.
    private readonly SemaphoreSlim _transitions = new(1, 1);

    private RunbookCatalog? _catalog;

    /// <summary>This node's id, recorded on every run it executes (null in a test harness without a cluster identity).</summary>
    private readonly string? _node;

    /// <summary>True when other nodes share the store and run runbooks of their own.</summary>
    private readonly bool _clustered;

    public RunbookRuntime(IVigilStore store, ConfigState config, TimeProvider time, ILogger<RunbookRuntime> logger, CheckRegistry? checks = null,
        Cluster.Leadership? leadership = null)
    {
        _node = leadership?.NodeId;
        _clustered = leadership?.Clustered ?? false;
        _store = store;
        _config = config;
        _time = time;
        _logger = logger;
        _recorder = new RunRecorder(store);
        _executor = new RunExecutor(store, _recorder, new StepRunner(_recorder, config, time, new GateRunner(checks, time)), config, time);
    }

    private VigilConfig Config => _config.Current.Config;

    /// <summary>The catalog as on disk now (re-parsed only when a runbook file or the config changed).</summary>
    public RunbookCatalog Catalog() => _catalog = RunbookCatalog.Load(Config, Volatile.Read(ref _catalog));

    public RunbookPlanOptions PlanOptions() => RunbookPlanOptions.From(Config.Runbooks);

    /// <summary>The live event log of a run in flight, or null when it is not (or no longer) running here.</summary>
    public RunEventLog? Events(long runId) => _active.TryGetValue(runId, out var a) ? a.Events : null;

    /// <summary>Waits until a run ends and returns it as stored (at once for a run not in flight here).</summary>
    public async Task<RunbookRun?> WaitForEndAsync(long runId, CancellationToken ct)
    {
        if (_active.TryGetValue(runId, out var active))
        {
            await active.Done.WaitAsync(ct);
        }

        return await GetAsync(runId, ct);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // This node's own runs only: on a cluster the other nodes' runs are alive on them (a dead node's are the leader's to end).
        var unfinished = await _store.ReadAsync((s, c) => s.Runbooks.ListUnfinishedAsync(c), cancellationToken);
        foreach (var run in unfinished.Where(r => !_clustered || r.Node is null || r.Node == _node))
        {
            await EndCoreAsync(run with { Status = RunStatus.Interrupted, EndedAt = _time.GetUtcNow(), Error = "the server stopped while the run was in flight" },
                RunRecorder.System, cancellationToken);
        }
    }

    /// <summary>
    /// Ends as <c>interrupted</c> the unfinished runs recorded by nodes that <paramref name="isLive"/> says are gone (the cluster's
    /// leader calls it: <see cref="OrphanedRunSweeper"/>). They are never resumed: a step may have half-run when its node died, and
    /// only a person can tell whether running it again is safe. Returns how many runs were ended.
    /// </summary>
    internal async Task<int> InterruptOrphansAsync(Func<string, bool> isLive, string actor, CancellationToken ct)
    {
        var unfinished = await _store.ReadAsync((s, c) => s.Runbooks.ListUnfinishedAsync(c), ct);
        var ended = 0;
        foreach (var run in unfinished.Where(r => r.Node is { } node && node != _node && !isLive(node)))
        {
            await SerializedAsync(async () =>
            {
                await EndCoreAsync(run with
                {
                    Status = RunStatus.Interrupted,
                    EndedAt = _time.GetUtcNow(),
                    Error = $"node {run.Node}, which executed the run, stopped heartbeating while it was in flight; runs are never resumed "
                        + "automatically: check what its last step did, then start the runbook again",
                }, actor, ct);
                return 0;
            });
            ended++;
        }

        return ended;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var runs = _active.Values.Where(a => a.Started).Select(a => a.Done).ToArray(); // a run pending approval has nothing to stop
        await Task.WhenAll(runs).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Whether a run must wait for a second person's approval: in an environment of
    /// <c>runbooks.require_approval_in</c>, unless a schedule started it. Approval, like a freeze, is
    /// about changes: a run whose steps only read needs none.
    /// </summary>
    internal static bool NeedsApproval(RunbooksConfig runbooks, RunStart start) =>
        runbooks.RequireApprovalIn.Contains(start.Request.Environment, StringComparer.Ordinal) && !start.Request.Trigger.StartsWith("schedule:", StringComparison.Ordinal)
        && start.Plan.AllSteps.Any(s => s.Mutating);

    /// <summary>
    /// Records a new run and starts it, or holds it for approval. Refused (conflict) when a freeze stops its
    /// mutating steps, and (not found) when the incident it links to does not exist.
    /// </summary>
    public async Task<Outcome<RunbookRun>> CreateAsync(RunStart start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(start);
        var runbooks = Config.Runbooks;
        var needsApproval = NeedsApproval(runbooks, start);
        var freezes = await _store.ReadAsync((s, c) => s.Operations.ListActiveFreezesAsync(c), ct);
        if (RunFreezes.StartRefusal(freezes, start.Plan, start.Request) is { } frozen)
        {
            return Refused.Conflict(frozen);
        }

        var now = _time.GetUtcNow();
        var run = await _recorder.InsertAsync(start, needsApproval ? RunStatus.PendingApproval : RunStatus.Running, now,
            needsApproval ? now + runbooks.ApprovalTtl : null, _node, ct);
        if (run is null)
        {
            return Refused.NotFound($"incident #{start.Request.IncidentId}");
        }

        var active = new ActiveRun(run, start, _stopping.Token);
        _active[run.Id] = active;
        active.Events.Publish(new RunEventView(RunEventType.Status, run.Status, Message: needsApproval
            ? $"run #{run.Id} waits for approval by a different person: vigil runbook approve {run.Id} (expires {run.ApprovalExpiresAt:u})"
            : null));
        if (!needsApproval)
        {
            active.TryLaunch(ExecuteAsync);
        }

        return run;
    }

    /// <summary>Approves a run waiting for approval and starts it; refuses self-approval and expired requests.</summary>
    public Task<Outcome<RunbookRun>> ApproveAsync(long id, string actor, string? reason, CancellationToken ct) => SerializedAsync<Outcome<RunbookRun>>(async () =>
    {
        var run = await GetAsync(id, ct);
        if (run is null)
        {
            return Refused.NotFound($"run #{id}");
        }

        if (run.Status != RunStatus.PendingApproval || !_active.TryGetValue(id, out var active))
        {
            return Refused.Conflict($"Run #{id} is {RunNames.Of(run.Status)}, not pending approval; nothing to approve.");
        }

        if (string.Equals(run.RequestedBy, actor, StringComparison.Ordinal))
        {
            return Refused.Conflict($"You ({actor}) requested run #{id}; a different person must approve it (vigil runbook approve {id} with their own token).");
        }

        if (run.ApprovalExpiresAt <= _time.GetUtcNow())
        {
            await EndCoreAsync(Expired(run), RunRecorder.System, ct);
            return Refused.Conflict($"The approval request of run #{id} expired at {run.ApprovalExpiresAt:u}; start the run again.");
        }

        var approved = run with { Status = RunStatus.Running, ApprovedBy = actor };
        await _recorder.UpdateAsync(approved, actor, "runbook.run.approve", $"Run #{id} approved by {actor} (requested by {run.RequestedBy})", reason, ct);
        active.Run = approved;
        active.Events.Publish(new RunEventView(RunEventType.Status, RunStatus.Running, Message: $"approved by {actor}"));
        active.TryLaunch(ExecuteAsync);
        return approved;
    });

    /// <summary>
    /// Cancels a run: a pending one ends at once; a running one has its current step's process tree stopped
    /// and ends. Answers once the run has ended, or with its current state if that takes longer than the kill
    /// grace (a rollback in progress is not interrupted).
    /// </summary>
    public async Task<Outcome<RunbookRun>> CancelAsync(long id, string actor, string? reason, CancellationToken ct)
    {
        ActiveRun? stopping = null;
        var answer = await SerializedAsync<Outcome<RunbookRun>?>(async () =>
        {
            var run = await GetAsync(id, ct);
            if (run is null)
            {
                return Refused.NotFound($"run #{id}");
            }

            if (run.IsFinished)
            {
                return Refused.Conflict($"Run #{id} already ended ({RunNames.Of(run.Status)}).");
            }

            if (_active.TryGetValue(id, out var active) && active.Started)
            {
                active.CancelledBy = actor;
                active.CancelReason = reason;
                await active.Cancel.CancelAsync();
                stopping = active;
                return null;
            }

            var cancelled = run with { Status = RunStatus.Cancelled, EndedAt = _time.GetUtcNow(), Error = $"cancelled by {actor}" + (reason is null ? "" : ": " + reason) };
            await EndCoreAsync(cancelled, actor, ct);
            return cancelled;
        });
        if (answer is { } done)
        {
            return done;
        }

        try
        {
            await stopping!.Done.WaitAsync(Config.Runbooks.KillGrace + TimeSpan.FromSeconds(5), _time, ct);
        }
        catch (TimeoutException)
        {
            // Still stopping (or rolling back); the answer shows where it is.
        }

        return (await GetAsync(id, ct))!;
    }

    /// <summary>
    /// Answers the confirmation a waiting run asks for. <paramref name="step"/>, when given, must be the step
    /// the run waits before, so an answer typed for one step never confirms another.
    /// </summary>
    public async Task<Outcome<RunbookRun>> ConfirmAsync(long id, string actor, ConfirmAnswer answer, int? step, CancellationToken ct)
    {
        if (!_active.TryGetValue(id, out var active) || active.Run.Status != RunStatus.Waiting || active.Pending is not { } pending)
        {
            var run = await GetAsync(id, ct);
            return run is null ? Refused.NotFound($"run #{id}") : Refused.Conflict($"Run #{id} is {RunNames.Of(run.Status)}; it is not waiting for a confirmation.");
        }

        var waiting = active.Run.WaitingStep;
        if (step is not null && step != waiting)
        {
            return Refused.Conflict($"Run #{id} waits before step {waiting}, not step {step}; look at step {waiting} and answer again.");
        }

        await _recorder.ConfirmationAsync(id, actor, waiting, answer, ct);
        pending.TrySetResult((answer, actor));
        return active.Run;
    }

    /// <summary>Marks pending approvals whose time ran out as expired; returns how many.</summary>
    public async Task<int> ExpireApprovalsAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var pending = await _store.ReadAsync((s, c) => s.Runbooks.ListUnfinishedAsync(c), ct);
        var expired = 0;
        foreach (var candidate in pending.Where(r => r.Status == RunStatus.PendingApproval && r.ApprovalExpiresAt <= now))
        {
            expired += await SerializedAsync(async () =>
            {
                // Approved or cancelled meanwhile? Then it is not ours to expire.
                var run = await GetAsync(candidate.Id, ct);
                if (run?.Status != RunStatus.PendingApproval)
                {
                    return 0;
                }

                await EndCoreAsync(Expired(run), RunRecorder.System, ct);
                return 1;
            });
        }

        return expired;
    }

    /// <summary>The earliest approval expiry among waiting runs.</summary>
    public DateTimeOffset? NextApprovalExpiry() =>
        _active.Values.Where(a => a.Run.Status == RunStatus.PendingApproval).Min(a => a.Run.ApprovalExpiresAt);

    private Task<RunbookRun?> GetAsync(long id, CancellationToken ct) => _store.ReadAsync((s, c) => s.Runbooks.GetRunAsync(id, c), ct);

    private RunbookRun Expired(RunbookRun run) =>
        run with { Status = RunStatus.Expired, EndedAt = _time.GetUtcNow(), Error = $"nobody approved it before {run.ApprovalExpiresAt:u}" };

    private async Task<T> SerializedAsync<T>(Func<Task<T>> work)
    {
        await _transitions.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _transitions.Release();
        }
    }

    private async Task ExecuteAsync(ActiveRun active)
    {
        try
        {
            var (ended, actor) = await _executor.ExecuteAsync(active);
            await EndAsync(ended, actor);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store failed under us: end the run on the record rather than leave it running forever.
            LogRunCrashed(_logger, active.Run.Id, ex);
            await EndAsync(active.Run with { Status = RunStatus.Failed, EndedAt = _time.GetUtcNow(), Error = "Vigil failed while running it: " + ex.Message },
                RunRecorder.System);
        }
    }

    private Task EndAsync(RunbookRun run, string actor) =>
        SerializedAsync(async () =>
        {
            await EndCoreAsync(run, actor, CancellationToken.None);
            return 0;
        });

    /// <summary>Records the end of a run and releases it; the caller holds the transition lock (or runs alone, at start).</summary>
    private async Task EndCoreAsync(RunbookRun run, string actor, CancellationToken ct)
    {
        var text = await _recorder.EndAsync(run, actor, ct);
        if (_active.TryRemove(run.Id, out var active))
        {
            active.Run = run;
            active.Events.Publish(new RunEventView(RunEventType.End, run.Status, Message: text));
            active.MarkDone();
        }

        if (run.Status is RunStatus.Failed or RunStatus.Interrupted)
        {
            LogRunEnded(_logger, run.Id, run.Request.RunbookId, RunNames.Of(run.Status), run.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Runbook run #{RunId} failed inside Vigil")]
    private static partial void LogRunCrashed(ILogger logger, long runId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runbook run #{RunId} of {Runbook} ended {Status}: {Error}")]
    private static partial void LogRunEnded(ILogger logger, long runId, string runbook, string status, string? error);
}
