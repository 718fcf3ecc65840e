using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Vigil.Server.Health;

namespace Vigil.Server.Config;

/// <summary>
/// Reloads the config when any of its source files changes. A file-system watcher wakes it at
/// once; a content poll every <see cref="PollEvery"/> catches what watchers miss (editors that
/// replace files, network mounts). The decision to apply lives in <see cref="ConfigState"/>.
/// </summary>
internal sealed class ConfigWatcher(ConfigState state, TimeProvider time, HealthBoard health) : BackgroundService
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The watcher starts with the server: the config it starts with gets its warnings logged once.
        state.LogWarnings();
        var watchers = Watch(state.Current.SourceFiles);
        try
        {
            await WatchLoopAsync(stoppingToken);
        }
        finally
        {
            foreach (var w in watchers)
            {
                w.Dispose();
            }
        }
    }

    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
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

                health.Succeeded("config-watcher");
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                health.Failed("config-watcher", ex);
            }
        }
    }

    /// <summary>
    /// One non-recursive watcher per folder holding a source file: watching the config folder
    /// recursively would also see every write to a data directory kept beside it.
    /// </summary>
    private List<FileSystemWatcher> Watch(IReadOnlyList<string> files)
    {
        var watchers = new List<FileSystemWatcher>();
        foreach (var dir in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var w = new FileSystemWatcher(dir) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
                w.Changed += (_, _) => Poke();
                w.Created += (_, _) => Poke();
                w.Renamed += (_, _) => Poke();
                w.Deleted += (_, _) => Poke();
                w.EnableRaisingEvents = true;
                watchers.Add(w);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
            {
                // Polling still works without a watcher.
            }
        }

        return watchers;
    }

    private void Poke() => _wake.Writer.TryWrite(true);
}
