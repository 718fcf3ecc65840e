using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Core.Telemetry;

namespace Vigil.Server.Config;

/// <summary>
/// Holds the config in force and swaps it atomically on reload. An invalid edit never replaces a
/// good config: it is kept as <see cref="LastFailure"/> for status and readiness to show.
/// </summary>
public sealed partial class ConfigState(ConfigSnapshot initial, IVigilStore store, TimeProvider time, ILogger<ConfigState> logger)
{
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private TaskCompletionSource _reloaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConfigSnapshot _current = initial;
    private volatile ReloadFailure? _lastFailure;
    private IReadOnlyList<string> _watchedFiles = initial.SourceFiles;
    private string _lastReadFingerprint = SourceFingerprint.Of(initial.SourceFiles);

    public ConfigSnapshot Current => _current;

    public ReloadFailure? LastFailure => _lastFailure;

    /// <summary>
    /// True when the source files differ from what the last load (applied or rejected) read, so
    /// manual reloads and the watcher never disagree about what is current.
    /// </summary>
    public bool SourcesChanged() => SourceFingerprint.Of(Volatile.Read(ref _watchedFiles)) != Volatile.Read(ref _lastReadFingerprint);

    /// <summary>The warnings of a loaded config, one line each (<c>file:line:col: path: message</c>).</summary>
    public static IReadOnlyList<string> WarningLines(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Warnings.Select(w => w.ToString()).ToList();
    }

    /// <summary>Logs the warnings of the config in force (at startup; reloads log their own).</summary>
    public void LogWarnings() => LogWarnings(_current);

    private void LogWarnings(ConfigSnapshot snapshot)
    {
        if (snapshot.Config.Warnings.Count > 0)
        {
            LogConfigWarnings(logger, snapshot.Path, snapshot.Config.Warnings.Count, string.Join(Environment.NewLine, WarningLines(snapshot.Config)));
        }
    }

    /// <summary>Raised after a new config is in force.</summary>
    public event Action<ConfigSnapshot>? Applied;

    /// <summary>Completes when the next reload attempt has finished (applied, rejected or unchanged) and its outcome is visible.</summary>
    public Task NextReloadAsync(CancellationToken ct) => Volatile.Read(ref _reloaded).Task.WaitAsync(ct);

    public async Task<(ReloadOutcome Outcome, IReadOnlyList<string> Errors)> ReloadAsync(string actor, CancellationToken ct)
    {
        await _reloadLock.WaitAsync(ct);
        try
        {
            var before = _current;
            // Fingerprint before loading: an edit landing during the load shows as a change next time.
            var fingerprint = SourceFingerprint.Of(_watchedFiles);
            var result = ConfigLoader.Load(before.Path);
            var now = time.GetUtcNow();
            if (result.SourceFiles.Count > 0 && !result.SourceFiles.SequenceEqual(_watchedFiles))
            {
                Volatile.Write(ref _watchedFiles, result.SourceFiles);
                fingerprint = SourceFingerprint.Of(result.SourceFiles);
            }

            Volatile.Write(ref _lastReadFingerprint, fingerprint);
            if (!result.Success)
            {
                var errors = result.Errors.Select(e => e.ToString()).ToList();
                var first = _lastFailure is null || !_lastFailure.Errors.SequenceEqual(errors);
                _lastFailure = new ReloadFailure(now, errors);
                if (first)
                {
                    LogRejected(logger, before.Path, errors.Count, string.Join(Environment.NewLine, errors));
                    await store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(actor, "config.reload_rejected", "config",
                        $"{errors.Count} error(s); keeping digest {before.Config.Digest}", null, JsonSerializer.Serialize(errors)), c), ct);
                }

                VigilMetrics.ConfigReload("rejected");
                return (ReloadOutcome.Rejected, errors);
            }

            var config = result.Config!;
            _lastFailure = null;
            if (config.Digest == before.Config.Digest)
            {
                _current = before with { SourceFiles = result.SourceFiles };
                VigilMetrics.ConfigReload("unchanged");
                return (ReloadOutcome.Unchanged, []);
            }

            await store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(actor, "config.reload", "config", null,
                JsonSerializer.Serialize(new { digest = before.Config.Digest }),
                JsonSerializer.Serialize(new { digest = config.Digest })), c), ct);
            _current = new ConfigSnapshot(config, before.Path, result.SourceFiles, now);
            LogApplied(logger, before.Config.Digest, config.Digest);
            LogWarnings(_current);
            Applied?.Invoke(_current);
            VigilMetrics.ConfigReload("applied");
            return (ReloadOutcome.Applied, []);
        }
        finally
        {
            _reloadLock.Release();
            Interlocked.Exchange(ref _reloaded, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config reload of {Path} rejected with {Count} error(s); the last good config stays in force:\n{Errors}")]
    private static partial void LogRejected(ILogger logger, string path, int count, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config {Path} loaded with {Count} warning(s):\n{Warnings}")]
    private static partial void LogConfigWarnings(ILogger logger, string path, int count, string warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Config reloaded: {Before} -> {After}")]
    private static partial void LogApplied(ILogger logger, string before, string after);
}
