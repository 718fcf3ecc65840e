using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Server.Health;
using Vigil.Server.Telemetry;

namespace Vigil.Server.Incidents;

/// <summary>One thing an intake request asks for: apply a signal, or acknowledge by dedup key.</summary>
public sealed record IntakeCommand(Signal? Signal, string? AcknowledgeKey, string Actor, string? TimelineNote = null)
{
    public static IntakeCommand Apply(Signal signal, string actor) => new(signal, null, actor);

    public static IntakeCommand Acknowledge(string dedupKey, string actor) => new(null, dedupKey, actor);
}

/// <summary>
/// Serializes intake into the store with group commit: requests queue their commands, one writer
/// applies everything queued so far in a single transaction, and each request is answered only
/// after that commit. A 2xx therefore means durable, and a burst of requests costs one fsync, not
/// one per event. When a batch fails, its requests are retried one transaction each so one bad
/// request cannot take others down with it.
/// </summary>
public sealed partial class IntakeQueue(IVigilStore store, IncidentPolicies policies, HealthBoard health, ILogger<IntakeQueue> logger,
    IncidentTraces? traces = null) : BackgroundService
{
    private readonly IncidentTraces _traces = traces ?? new IncidentTraces();

    /// <summary>Most commands applied in one transaction.</summary>
    public const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true });

    /// <summary>Applies the commands (in order, all or none) and returns one outcome per command once committed.</summary>
    public async Task<IReadOnlyList<SignalOutcome>> SubmitAsync(IReadOnlyList<IntakeCommand> commands, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            return [];
        }

        // The intake span (child of the HTTP request's, when that is traced) is the parent of each command's incident write.
        using var span = VigilTracing.Source.StartActivity("vigil.intake");
        span?.SetTag("vigil.intake.commands", commands.Count);
        var pending = new Pending(commands, new TaskCompletionSource<IReadOnlyList<SignalOutcome>>(TaskCreationOptions.RunContinuationsAsynchronously),
            span?.Context ?? default);
        await _queue.Writer.WriteAsync(pending, ct);
        // Once queued the commands are applied even if the client goes away; only the wait is cancellable.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var count = 0;
                while (count < MaxBatch && _queue.Reader.TryRead(out var p))
                {
                    batch.Add(p);
                    count += p.Commands.Count;
                }

                await CommitAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Drain what was accepted before shutdown: those callers are still waiting for an answer.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var p))
        {
            batch.Add(p);
        }

        if (batch.Count > 0)
        {
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var policy = policies.Current;
        try
        {
            var results = await store.RecordAsync(async (s, c) =>
            {
                var all = new List<IReadOnlyList<SignalOutcome>>(batch.Count);
                foreach (var p in batch)
                {
                    all.Add(await ApplyAsync(s, policy, p.Commands, p.Trace, c));
                }

                return all;
            }, CancellationToken.None);
            VigilMetrics.Batch("intake", batch.Sum(p => p.Commands.Count));
            // Health first: a caller that has its 2xx and asks /readyz next must see this commit counted.
            health.Succeeded("intake");
            health.Succeeded(HealthBoard.Store);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // Retrying one by one cannot help when the store cannot commit at all: every caller gets a 503.
            health.Failed("intake", ex);
            foreach (var p in batch)
            {
                p.Done.TrySetException(ex);
            }
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchFailed(logger, batch.Count, ex);
            foreach (var p in batch)
            {
                await CommitAsync([p]);
            }
        }
        catch (Exception ex)
        {
            health.Failed("intake", ex);
            batch[0].Done.TrySetException(ex);
        }
    }

    private async Task<IReadOnlyList<SignalOutcome>> ApplyAsync(IStoreSession s, IncidentPolicy policy, IReadOnlyList<IntakeCommand> commands, ActivityContext trace,
        CancellationToken ct)
    {
        var outcomes = new SignalOutcome[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            var cmd = commands[i];
            if (cmd.Signal is { } signal)
            {
                using var span = IncidentTraces.StartWrite(trace, signal);
                outcomes[i] = await IncidentWriter.ApplySignalAsync(s, policy, signal, cmd.Actor, ct);
                _traces.Remember(span, outcomes[i].IncidentId, outcomes[i].Changed);
            }
            else
            {
                outcomes[i] = await IncidentWriter.AcknowledgeByKeyAsync(s, policy, cmd.AcknowledgeKey!, cmd.Actor, ct);
            }

            if (cmd.TimelineNote is { } note && outcomes[i].IncidentId is { } id && await s.Incidents.GetAsync(id, ct) is { } incident)
            {
                await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Note, cmd.Actor, note, "incident.note", s.Now, null, null, ct);
            }
        }

        return outcomes;
    }

    private sealed record Pending(IReadOnlyList<IntakeCommand> Commands, TaskCompletionSource<IReadOnlyList<SignalOutcome>> Done, ActivityContext Trace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An intake batch of {Count} requests failed; retrying each on its own")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception ex);
}
