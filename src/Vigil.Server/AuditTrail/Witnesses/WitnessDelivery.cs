using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;
using Vigil.Server.Config;
using Vigil.Server.Hosting;

namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>
/// Hands every signed checkpoint to each configured witness, in order, beside the audit trail: the
/// checkpointer only enqueues (in memory), so a slow or failing witness never holds up an audit write.
/// A failed delivery is retried with doubling backoff, logged (the first failure, then every tenth, then the
/// recovery), counted in <c>vigil.audit.witness.deliveries</c> and shown by <see cref="Status"/>. What each witness
/// accepted last is kept in <c>&lt;data&gt;/witnesses/&lt;id&gt;.delivered</c>, so after a restart the backlog is sent;
/// a witness that never received anything starts from the newest checkpoint, which vouches for the whole chain before it.
/// </summary>
public sealed partial class WitnessDelivery : BackgroundService
{
    private readonly IVigilStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<WitnessDelivery> _logger;
    private readonly string _instance;
    private readonly string _stateDirectory;
    private readonly List<State> _witnesses;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _lock = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _attempted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _loaded;

    public WitnessDelivery(IVigilStore store, ConfigState config, ServerInfo server, IHttpClientFactory http, TimeProvider time, ILogger<WitnessDelivery> logger)
        : this(store, config.Current.Config, server.DataDirectory, http, Environment.GetEnvironmentVariable, time, logger)
    {
    }

    internal WitnessDelivery(IVigilStore store, VigilConfig config, string dataDirectory, IHttpClientFactory http, Func<string, string?> environment, TimeProvider time, ILogger<WitnessDelivery> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _instance = config.Vigil.Name;
        _stateDirectory = Path.Combine(dataDirectory, "witnesses");
        _witnesses = config.Audit.Witnesses.Select(w => new State(w, Create(w, http, environment, time))).ToList();
    }

    public const string HttpClientName = "audit-witness";

    /// <summary>The configured witnesses, by id (read at start).</summary>
    internal IReadOnlyList<IAuditWitness> Witnesses => _witnesses.Select(w => w.Sink).ToList();

    private static IAuditWitness Create(AuditWitnessConfig w, IHttpClientFactory http, Func<string, string?> environment, TimeProvider time) =>
        w.Webhook is { } hook ? new WebhookWitness(w.Id, hook, http.CreateClient(HttpClientName))
        : w.File is { } file ? new FileWitness(w.Id, file)
        : new S3Witness(w.Id, w.S3!, environment, time);

    /// <summary>Queues a checkpoint that was just committed for every witness; returns at once.</summary>
    public void Enqueue(AuditCheckpoint checkpoint)
    {
        if (_witnesses.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var w in _witnesses)
            {
                w.Add(checkpoint);
            }
        }

        _wake.TrySetResult();
    }

    public IReadOnlyList<WitnessStatus> Status()
    {
        lock (_lock)
        {
            return _witnesses.Select(w => new WitnessStatus(w.Config.Id, Kind(w.Config), w.Sink.Description, w.DeliveredThrough, w.Pending.Count,
                w.Failures, w.LastError, w.LastDeliveredAt, w.LastFailureAt, w.Failures > 0 ? w.NextAttemptAt : null)).ToList();
        }
    }

    internal static string Kind(AuditWitnessConfig w) => w.Webhook is not null ? "webhook" : w.File is not null ? "file" : "s3";

    /// <summary>Completes after the next delivery attempt to any witness, succeeded or failed (tests wait on it instead of sleeping).</summary>
    internal Task NextAttemptAsync(CancellationToken ct) => Volatile.Read(ref _attempted).Task.WaitAsync(ct);

    private void Attempted() =>
        Interlocked.Exchange(ref _attempted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Tries every witness that has something pending now, ignoring backoff (tests and shutdown); returns how many deliveries succeeded.</summary>
    public Task<int> DeliverNowAsync(CancellationToken ct) => TurnAsync(force: true, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_witnesses.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake).Task;
            DateTimeOffset? next = null;
            try
            {
                await TurnAsync(force: false, stoppingToken);
                lock (_lock)
                {
                    next = _witnesses.Where(w => w.Pending.Count > 0).Select(w => (DateTimeOffset?)w.NextAttemptAt).Min();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Only the store read at start can throw here (deliveries catch their own); try again shortly.
                LogLoadFailed(_logger, ex);
                next = _time.GetUtcNow() + TimeSpan.FromSeconds(30);
            }

            using var turn = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                var until = next ?? _time.GetUtcNow() + TimeSpan.FromHours(1);
                await Task.WhenAny(_time.UntilAsync(until + TimeSpan.FromMilliseconds(1), turn.Token), wake);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                await turn.CancelAsync();
            }

            if (wake.IsCompleted)
            {
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_witnesses.Count == 0)
        {
            return;
        }

        // The checkpointer signs the last entries as it stops (it stops before this service); hand them over too.
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(5));
            await TurnAsync(force: true, bounded.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or StoreUnavailableException or InvalidOperationException)
        {
            LogLoadFailed(_logger, ex);
        }
    }

    private async Task<int> TurnAsync(bool force, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            await LoadAsync(ct);
            var delivered = 0;
            foreach (var w in _witnesses)
            {
                delivered += await DeliverAsync(w, force, ct);
            }

            return delivered;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            return;
        }

        var all = await _store.ReadAsync((s, c) => s.Audit.ListCheckpointsAsync(c), ct);
        lock (_lock)
        {
            foreach (var w in _witnesses)
            {
                w.DeliveredThrough = ReadState(w.Config.Id);
                var backlog = w.DeliveredThrough is { } through ? all.Where(c => c.Seq > through) : all.TakeLast(1);
                foreach (var cp in backlog)
                {
                    w.Add(cp);
                }
            }

            _loaded = true;
        }
    }

    private async Task<int> DeliverAsync(State w, bool force, CancellationToken ct)
    {
        var delivered = 0;
        while (true)
        {
            AuditCheckpoint next;
            lock (_lock)
            {
                if (w.Pending.Count == 0 || (!force && w.Failures > 0 && w.NextAttemptAt > _time.GetUtcNow()))
                {
                    return delivered;
                }

                next = w.Pending.Values[0];
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(w.Config.Timeout);
                try
                {
                    await w.Sink.SendAsync(WitnessRecord.From(_instance, next), attempt.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new WitnessException($"{w.Sink.Description} did not answer within {w.Config.Timeout.TotalSeconds:0} s");
                }

                WriteState(w.Config.Id, next.Seq);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                Failed(w, next, ex);
                Attempted();
                return delivered;
            }

            VigilMetrics.WitnessDelivery(w.Config.Id, "delivered");
            int failuresBefore;
            lock (_lock)
            {
                failuresBefore = w.Failures;
                w.Pending.Remove(next.Seq);
                w.DeliveredThrough = next.Seq;
                w.LastDeliveredAt = _time.GetUtcNow();
                w.Failures = 0;
                w.LastError = null;
            }

            if (failuresBefore > 0)
            {
                LogRecovered(_logger, w.Config.Id, failuresBefore, next.Seq);
            }

            Attempted();
            delivered++;
        }
    }

    private void Failed(State w, AuditCheckpoint cp, Exception ex)
    {
        VigilMetrics.WitnessDelivery(w.Config.Id, "failed");
        var reason = ex.Message.ReplaceLineEndings(" ");
        int failures;
        DateTimeOffset nextAt;
        lock (_lock)
        {
            failures = ++w.Failures;
            var backoff = TimeSpan.FromTicks(Math.Min(w.Config.MaxBackoff.Ticks, w.Config.InitialBackoff.Ticks * (1L << Math.Min(failures - 1, 30))));
            w.LastError = reason;
            w.LastFailureAt = _time.GetUtcNow();
            w.NextAttemptAt = nextAt = w.LastFailureAt.Value + backoff;
        }

        if (failures == 1 || failures % 10 == 0)
        {
            LogDeliveryFailed(_logger, w.Config.Id, cp.Seq, failures, reason, nextAt);
        }
    }

    private long? ReadState(string id)
    {
        var file = Path.Combine(_stateDirectory, id + ".delivered");
        return File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
    }

    private void WriteState(string id, long seq)
    {
        Directory.CreateDirectory(_stateDirectory);
        var file = Path.Combine(_stateDirectory, id + ".delivered");
        var temp = file + ".tmp";
        File.WriteAllText(temp, seq.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, file, overwrite: true);
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit witness {Witness} did not take checkpoint #{Seq} ({Failures} failures in a row): {Reason}; retrying at {NextAttempt:O}. Audit writes go on; the witness falls behind until it answers")]
    private static partial void LogDeliveryFailed(ILogger logger, string witness, long seq, int failures, string reason, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit witness {Witness} recovered after {Failures} failed attempts; it has checkpoints through #{Seq}")]
    private static partial void LogRecovered(ILogger logger, string witness, int failures, long seq);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit witnesses: could not read the checkpoints to deliver; retrying")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex);

    private sealed class State(AuditWitnessConfig config, IAuditWitness sink)
    {
        public AuditWitnessConfig Config { get; } = config;

        public IAuditWitness Sink { get; } = sink;

        public SortedList<long, AuditCheckpoint> Pending { get; } = [];

        public long? DeliveredThrough { get; set; }

        public int Failures { get; set; }

        public string? LastError { get; set; }

        public DateTimeOffset? LastDeliveredAt { get; set; }

        public DateTimeOffset? LastFailureAt { get; set; }

        public DateTimeOffset NextAttemptAt { get; set; }

        public void Add(AuditCheckpoint cp)
        {
            if (DeliveredThrough is { } through && cp.Seq <= through)
            {
                return;
            }

            Pending.TryAdd(cp.Seq, cp);
        }
    }
}
