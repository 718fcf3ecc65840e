using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Config;
using Vigil.Server.Health;
using Vigil.Server.Checks;
using Vigil.Server.Config;
using Vigil.Server.Incidents;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Server.Tests.Checks;

/// <summary>A checks engine on a fake clock, a fake probe and a real SQLite file.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private bool _ownsDir;

    private EngineHarness(TempDirectory dir, FakeTimeProvider time, SqliteVigilStore store, ConfigState config, FakeProbe probe, CheckRegistry registry,
        CheckRunner runner, CheckStateWriter writer, CheckHistoryFlusher flusher, CheckHistoryPruner pruner, CheckScheduler scheduler)
    {
        Dir = dir;
        Time = time;
        Store = store;
        Config = config;
        Probe = probe;
        Registry = registry;
        Runner = runner;
        Writer = writer;
        Flusher = flusher;
        Pruner = pruner;
        Scheduler = scheduler;
    }

    public TempDirectory Dir { get; }

    public FakeTimeProvider Time { get; }

    public SqliteVigilStore Store { get; }

    public ConfigState Config { get; }

    public FakeProbe Probe { get; }

    public CheckRegistry Registry { get; }

    public CheckRunner Runner { get; }

    public CheckStateWriter Writer { get; }

    public CheckHistoryFlusher Flusher { get; }

    public CheckHistoryPruner Pruner { get; }

    public CheckScheduler Scheduler { get; }

    /// <summary>The hosted services in the order the server registers them (it stops them in reverse).</summary>
    private IEnumerable<Microsoft.Extensions.Hosting.BackgroundService> Services => [Flusher, Pruner, Writer, Scheduler];

    public static string ServicesYaml(int services, int checksPerService, string every = "5s", string extra = "")
    {
        var sb = new StringBuilder("vigil:\n  name: engine-test\nservices:\n");
        for (var s = 0; s < services; s++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - id: svc{s}\n    checks:\n");
            for (var c = 0; c < checksPerService; c++)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"      - {{ id: c{s}x{c}, tcp: {{ host: 127.0.0.1, port: 9 }}, every: {every}, timeout: 1s{extra} }}\n");
            }
        }

        return sb.ToString();
    }

    public static async Task<EngineHarness> StartAsync(string yaml, TempDirectory? dir = null, DateTimeOffset? start = null)
    {
        var owns = dir is null;
        dir ??= new TempDirectory();
        var time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var path = dir.File("vigil.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var loaded = ConfigLoader.Load(path, _ => null);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        var store = new SqliteVigilStore(dir.File("vigil.db"), time);
        await store.MigrateAsync(CancellationToken.None);
        var config = new ConfigState(new ConfigSnapshot(loaded.Config!, path, loaded.SourceFiles, time.GetUtcNow()), store, time, NullLogger<ConfigState>.Instance);
        var probe = new FakeProbe(time);
        var health = new HealthBoard(time, NullLogger<HealthBoard>.Instance);
        var tokens = new HeartbeatTokens(new byte[32]);
        var options = new CheckEngineOptions { MaxConcurrency = 256 };
        var registry = new CheckRegistry(config, store, time, tokens);
        var writer = new CheckStateWriter(config, store, registry, new IncidentPolicies(config, NullLogger<IncidentPolicies>.Instance), health, time,
            NullLogger<CheckStateWriter>.Instance);
        var runner = new CheckRunner(config, registry, probe, store, time, tokens, writer, options);
        var flusher = new CheckHistoryFlusher(store, registry, health, time, options, NullLogger<CheckHistoryFlusher>.Instance);
        var pruner = new CheckHistoryPruner(store, health, time, options, NullLogger<CheckHistoryPruner>.Instance);
        var scheduler = new CheckScheduler(config, registry, runner, health, time);
        var harness = new EngineHarness(dir, time, store, config, probe, registry, runner, writer, flusher, pruner, scheduler) { _ownsDir = owns };
        foreach (var service in harness.Services)
        {
            await service.StartAsync(harness._cts.Token);
        }

        await registry.Loaded.WaitAsync(TimeSpan.FromSeconds(30));
        return harness;
    }

    /// <summary>Advances the fake clock in steps, letting the engine finish each step's work.</summary>
    public async Task RunForAsync(TimeSpan duration, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < duration; t += step)
        {
            Time.Advance(step);
            await UntilIdleAsync();
        }
    }

    /// <summary>
    /// Waits until nothing is due and nothing is running: checks after each of the engine's turns
    /// (no polling on a timer). The deadline only stops a test that would otherwise hang.
    /// </summary>
    public async Task UntilIdleAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            while (true)
            {
                var turn = Scheduler.NextTurnAsync(deadline.Token);
                if (Scheduler.IsIdle())
                {
                    // One more turn of the thread pool: the loop may be between dequeue and dispatch.
                    await Task.Yield();
                    if (Scheduler.IsIdle())
                    {
                        return;
                    }
                }

                await turn;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException("The checks scheduler never became idle (a hang, not slowness: the wait follows the engine's turns).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        foreach (var service in Services.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
            service.Dispose();
        }
        await Store.DisposeAsync();
        if (_ownsDir)
        {
            Dir.Dispose();
        }

        _cts.Dispose();
    }
}
