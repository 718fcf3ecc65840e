using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vigil.Core.Health;
using Vigil.Core.Storage;

namespace Vigil.Server.Health;

/// <summary>
/// Where background loops and the store report each outcome. Readiness fails when a component
/// failed its last <see cref="FailingAfter"/> turns (the store: its last write probe). Failures are
/// logged once with their detail, then at most every <see cref="ComponentHealth.RepeatLogEvery"/>
/// with a count, then once more on recovery: a failing disk never floods the log.
/// </summary>
public sealed partial class HealthBoard(TimeProvider time, ILogger<HealthBoard> logger)
{
    /// <summary>Consecutive failed turns after which a loop makes the server not ready.</summary>
    public const int FailingAfter = 3;

    /// <summary>
    /// The component that stands for real writes reaching the store: failed by any request answered 503
    /// because the store could not commit, succeeded by each committed intake batch.
    /// </summary>
    public const string Store = "store";

    private readonly ConcurrentDictionary<string, ComponentHealth> _components = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// Records a successful turn of <paramref name="component"/>. Hot loops (a probe finishing, thousands a
    /// second) call this: a healthy component whose last success is under a second old is left as it is.
    /// </summary>
    public void Succeeded(string component)
    {
        if (_components.TryGetValue(component, out var current) && current.ConsecutiveFailures == 0
            && current.LastSuccessAt is { } last && time.GetUtcNow() - last < TimeSpan.FromSeconds(1))
        {
            return;
        }

        Record(component, null, null);
    }

    /// <summary>Records a failed turn of <paramref name="component"/>; the exception is logged subject to the rate limit.</summary>
    public void Failed(string component, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        Record(component, Describe(ex), ex);
    }

    /// <summary>Every component seen so far, by name.</summary>
    public IReadOnlyList<ComponentHealth> Snapshot() => _components.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>True when <paramref name="component"/> is failing by the readiness rule.</summary>
    public bool IsFailing(ComponentHealth component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return component.IsFailing(component.Name == Store ? 1 : FailingAfter);
    }

    /// <summary>One line for an exception: the store's own reason, or the message without a stack trace.</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var message = ex switch
        {
            StoreUnavailableException s => s.Reason,
            StoreConflictException c => c.Reason,
            _ => ex.Message,
        };
        message = message.ReplaceLineEndings(" ");
        return message.Length > 300 ? message[..300] + "…" : message;
    }

    private void Record(string component, string? error, Exception? ex)
    {
        ComponentHealth next;
        HealthLog log;
        int suppressed;
        lock (_gate)
        {
            var current = _components.GetValueOrDefault(component) ?? ComponentHealth.New(component);
            suppressed = current.FailuresSinceLog;
            (next, log) = ComponentHealth.Record(current, error, time.GetUtcNow());
            _components[component] = next;
        }

        switch (log)
        {
            case HealthLog.FirstFailure when ex is StoreUnavailableException:
                LogStoreUnavailable(logger, component, next.LastError!);
                break;
            case HealthLog.FirstFailure when ex is StoreConflictException { Retryable: true }:
                // Expected now and then with several writers (cluster nodes on one PostgreSQL): no stack trace, not an error.
                LogConflict(logger, component, next.LastError!);
                break;
            case HealthLog.FirstFailure:
                LogFirstFailure(logger, component, ex!);
                break;
            case HealthLog.StillFailing:
                LogStillFailing(logger, component, next.ConsecutiveFailures, suppressed + 1, next.LastError!);
                break;
            case HealthLog.Recovered:
                LogRecovered(logger, component, next.LastFailureAt);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Component} failed; it is retried, and repeats of this are logged at most every 5 minutes")]
    private static partial void LogFirstFailure(ILogger logger, string component, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Component} failed: {Error}; it is retried, and repeats of this are logged at most every 5 minutes")]
    private static partial void LogStoreUnavailable(ILogger logger, string component, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Component} lost a race with another writer: {Error}; it is retried, and repeats of this are logged at most every 5 minutes")]
    private static partial void LogConflict(ILogger logger, string component, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Component} is still failing: {Failures} failures in a row ({Since} since the last log line); last error: {Error}")]
    private static partial void LogStillFailing(ILogger logger, string component, int failures, int since, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Component} recovered (last failure at {LastFailure:O})")]
    private static partial void LogRecovered(ILogger logger, string component, DateTimeOffset? lastFailure);
}
