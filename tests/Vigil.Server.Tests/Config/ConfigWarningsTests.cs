using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Config;
using Vigil.Server.Api;
using Vigil.Server.Config;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Server.Tests.Config;

/// <summary>Config warnings reach people: the CLI's validate, the server log at startup and reload, and the reload view.</summary>
public sealed class ConfigWarningsTests
{
    private const string WithInactiveSections = """
        vigil: { name: test }
        services:
          - id: web
            slo: { availability: 99.9%, window: 30d }
          - id: api
            slo: { availability: 99.5%, window: 30d }
        """;

    [Fact]
    public async Task Validate_PrintsWarningsWithFileAndLine_AndStaysValid()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), WithInactiveSections);

        var run = await CliRun.RunAsync(["config", "validate", "-c", "vigil.yaml"], dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("vigil.yaml:4:10: warning: services[0].slo: `slo` is deprecated: it is read as `slos` entries `web-availability`", run.Error, StringComparison.Ordinal);
        Assert.Contains("vigil.yaml:6:10: warning: services[1].slo: `slo` is deprecated", run.Error, StringComparison.Ordinal);
        Assert.Contains("valid (1 file(s), 2 service(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("2 warning(s)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Json_HasAWarningsArray()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), WithInactiveSections);

        var run = await CliRun.RunAsync(["config", "validate", "-c", "vigil.yaml", "-o", "json"], dir.Path);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray().ToList();
        Assert.True(warnings.Count == 2, run.Out);
        Assert.Equal("services[0].slo", warnings[0].GetProperty("path").GetString());
        Assert.Equal(4, warnings[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task ConfigState_LogsWarningsAtStartup_AndOnReload()
    {
        using var dir = new TempDirectory();
        var path = dir.File("vigil.yaml");
        await File.WriteAllTextAsync(path, "vigil: { name: test }\nservices:\n  - id: web\n");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var loaded = ConfigLoader.Load(path, _ => null);
        await using var store = new SqliteVigilStore(dir.File("vigil.db"), time);
        await store.MigrateAsync(CancellationToken.None);
        var logger = new ListLogger();
        var state = new ConfigState(new ConfigSnapshot(loaded.Config!, path, loaded.SourceFiles, time.GetUtcNow()), store, time, logger);

        state.LogWarnings();
        Assert.Empty(logger.Warnings);

        await File.WriteAllTextAsync(path, WithInactiveSections);
        var (outcome, _) = await state.ReloadAsync("test", CancellationToken.None);

        Assert.Equal(ReloadOutcome.Applied, outcome);
        var logged = Assert.Single(logger.Warnings);
        Assert.Contains("2 warning(s)", logged, StringComparison.Ordinal);
        Assert.Contains("services[0].slo: `slo` is deprecated", logged, StringComparison.Ordinal);

        logger.Warnings.Clear();
        state.LogWarnings();
        Assert.Single(logger.Warnings);
    }

    [Fact]
    public async Task ReloadView_ListsTheWarningsOfTheConfigInForce()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = server.Admin();
        await File.WriteAllTextAsync(server.ConfigPath, WithInactiveSections);

        var response = await admin.PostAsync("/api/v1/config/reload", null);
        var view = await response.Content.ReadFromJsonAsync<ReloadView>(VigilJson.Options);

        // The file watcher may have applied the edit first; then this reload finds it unchanged.
        Assert.Contains(view!.Outcome, new[] { ReloadOutcome.Applied, ReloadOutcome.Unchanged });
        Assert.Equal(2, view.Warnings!.Count);
        Assert.Contains(view.Warnings, w => w.Contains("services[1].slo: `slo` is deprecated", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger<ConfigState>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
