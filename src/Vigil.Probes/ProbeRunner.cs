using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Commands;
using Vigil.Probes.Dns;
using Vigil.Probes.Http;
using Vigil.Probes.Network;
using Vigil.Probes.Processes;
using Vigil.Probes.Prometheus;
using Vigil.Probes.Tcp;
using Vigil.Probes.Tls;

namespace Vigil.Probes;

/// <summary>
/// Runs one check once with the right <see cref="IProber"/>, and never throws for a failing
/// target or a buggy prober: the check's <c>timeout</c> becomes <see cref="FailureReason.Timeout"/>,
/// any unexpected exception becomes <see cref="HealthState.Unknown"/> with a message. Only
/// cancellation of the caller's token (shutdown) propagates.
/// </summary>
public sealed partial class ProbeRunner : IDisposable
{
    /// <summary>How long past the timeout a prober may take to unwind (a command's kill grace) before it is abandoned.</summary>
    private static readonly TimeSpan _unwindSlack = TimeSpan.FromSeconds(3);

    private readonly Dictionary<CheckKind, IProber> _probers = [];
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _unwindGrace;
    private readonly ILogger _logger;
    private readonly IDisposable[] _owned;

    public ProbeRunner(IEnumerable<IProber> probers, TimeProvider timeProvider, ProbeOptions options, ILogger<ProbeRunner>? logger = null)
        : this(probers, timeProvider, options, logger, [])
    {
    }

    private ProbeRunner(IEnumerable<IProber> probers, TimeProvider timeProvider, ProbeOptions options, ILogger? logger, IDisposable[] owned)
    {
        ArgumentNullException.ThrowIfNull(probers);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var prober in probers)
        {
            // Last registration wins, so a host can replace a built-in prober.
            _probers[prober.Kind] = prober;
        }

        _timeProvider = timeProvider;
        _unwindGrace = options.KillGrace + _unwindSlack;
        _logger = logger ?? NullLogger.Instance;
        _owned = owned;
    }

    /// <summary>
    /// A runner with the built-in probers, for callers without dependency injection (CLI, benchmarks).
    /// Dispose it to close pooled connections.
    /// </summary>
    public static ProbeRunner Create(TimeProvider? timeProvider = null, ProbeOptions? options = null, ILogger? logger = null) =>
        Create(timeProvider ?? TimeProvider.System, options ?? new ProbeOptions(), new SystemHostResolver(), logger);

    internal static ProbeRunner Create(TimeProvider timeProvider, ProbeOptions options, IHostResolver resolver, ILogger? logger = null)
    {
        options.Validate();
        var pool = new HttpClientPool(resolver, options);
        var processes = new ProcessRunner(timeProvider);
        IProber[] probers =
        [
            new HttpProber(pool, options, timeProvider),
            new TcpProber(resolver, timeProvider),
            new TlsProber(resolver, timeProvider),
            new DnsProber(resolver, timeProvider),
            new CommandProber(processes, options, timeProvider),
            new PrometheusProber(pool, options, timeProvider),
        ];
        return new ProbeRunner(probers, timeProvider, options, logger, [pool]);
    }

    /// <summary>Whether a check of this kind can be probed (heartbeats are pushed, never probed).</summary>
    public bool CanProbe(CheckKind kind) => kind != CheckKind.Heartbeat && _probers.ContainsKey(kind);

    /// <summary>Probes the check once within its <c>timeout</c>.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var start = _timeProvider.GetTimestamp();
        var kind = check.Kind;
        if (kind == CheckKind.Heartbeat)
        {
            return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero,
                $"check {Name(check)} is a heartbeat: it is pushed to /api/v1/heartbeats/{{token}} and cannot be probed");
        }

        if (!HasTypeConfig(check, kind))
        {
            return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero,
                $"check {Name(check)} sets no check type (http, tcp, tls, dns, command or prometheus)");
        }

        if (!_probers.TryGetValue(kind, out var prober))
        {
            return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero,
                $"no prober is registered for {kind.ToString().ToLowerInvariant()} checks");
        }

        ct.ThrowIfCancellationRequested();
        using var timeoutCts = new CancellationTokenSource(check.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        Task<ProbeResult>? task = null;
        try
        {
            task = prober.ProbeAsync(check, linked.Token);

            // A prober that ignores its token is abandoned a little after the timeout, so one bad
            // target can never hold a scheduler slot forever.
            return await task.WaitAsync(check.Timeout + _unwindGrace, _timeProvider, ct);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            Observe(task);
            throw new OperationCanceledException(ct);
        }
        catch (Exception) when (timeoutCts.IsCancellationRequested)
        {
            Observe(task);
            return ProbeResult.Critical(FailureReason.Timeout, _timeProvider.GetElapsedTime(start), TimeoutMessage(check));
        }
        catch (Exception ex)
        {
            LogProberFailed(_logger, ex, kind, Name(check));
            return ProbeResult.Unknown(FailureReason.None, _timeProvider.GetElapsedTime(start),
                $"the {kind.ToString().ToLowerInvariant()} prober failed unexpectedly on {CheckTarget.Describe(check)}: {ex.GetType().Name}: {ex.Message.TrimEnd('.')}");
        }
    }

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }

    private static string TimeoutMessage(CheckConfig check)
    {
        var limit = Duration.Format(check.Timeout);
        return check.Kind == CheckKind.Command && check.Command is { } command
            ? $"command {CheckTarget.Command(command)} did not finish within {limit}; its process tree was killed"
            : $"no answer from {CheckTarget.Describe(check)} within {limit}";
    }

    private static void Observe(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static bool HasTypeConfig(CheckConfig check, CheckKind kind) => kind switch
    {
        CheckKind.Http => check.Http is not null,
        CheckKind.Tcp => check.Tcp is not null,
        CheckKind.Tls => check.Tls is not null,
        CheckKind.Dns => check.Dns is not null,
        CheckKind.Command => check.Command is not null,
        CheckKind.Prometheus => check.Prometheus is not null,
        _ => false,
    };

    private static string Name(CheckConfig check) => check.Id.Length > 0 ? $"`{check.Id}`" : "(unnamed)";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The {Kind} prober threw on check {Check}; reported as unknown")]
    private static partial void LogProberFailed(ILogger logger, Exception exception, CheckKind kind, string check);
}
