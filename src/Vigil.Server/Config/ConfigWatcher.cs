using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Server.Config;

/// <summary>
/// Reloads the config when any of its source files changes. A file-system watcher wakes it at
/// once; a content poll every <see cref="PollEvery"/> catches what watchers miss (editors that
/// replace files, network mounts). The decision to apply lives in <see cref="ConfigState"/>.
/// </summary>
internal sealed partial class ConfigWatcher(ConfigState state, TimeProvider time, ILogger<ConfigWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = Watch(state.Current.Path);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using (var waitCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    await Task.WhenAny(_wake.Reader.WaitToReadAsync(waitCts.Token).AsTask(), Task.Delay(PollEvery, time, waitCts.Token));
                    await waitCts.CancelAsync();
                }

                stoppingToken.ThrowIfCancellationRequested();
                while (_wake.Reader.TryRead(out _))
                {
                }

                // Editors write in several steps; let them finish before reading.
                await Task.Delay(Settle, time, stoppingToken);
                if (state.SourcesChanged())
                {
                    await state.ReloadAsync("system:config-watcher", stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    private FileSystemWatcher? Watch(string path)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var w = new FileSystemWatcher(dir) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
            w.Changed += (_, _) => Poke();
            w.Created += (_, _) => Poke();
            w.Renamed += (_, _) => Poke();
            w.Deleted += (_, _) => Poke();
            w.EnableRaisingEvents = true;
            return w;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Polling still works without a watcher.
            return null;
        }
    }

    private void Poke() => _wake.Writer.TryWrite(true);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config watcher failed; will try again")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
