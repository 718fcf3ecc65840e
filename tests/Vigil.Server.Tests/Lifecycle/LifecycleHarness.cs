using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Config;
using Vigil.Server.Incidents;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Server.Tests.Lifecycle;

/// <summary>
/// The incident engine as the server wires it — a real SQLite store, the config state, the
/// incident policies and the timers — on a fake clock. Nothing runs in the background: signals
/// are applied and timers swept when a test says so.
/// </summary>
internal sealed class LifecycleHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>SEV1–SEV4 (SEV1 needs a PIR before close), and services web → api → db.</summary>
    public const string SevConfig = """
        vigil:
          name: lifecycle-test
        severities:
          - { id: SEV1, name: Critical, ack_within: 5m, page: true, require_pir: true }
          - { id: SEV2, name: Major, ack_within: 30m, page: true }
          - { id: SEV3, name: Minor, ack_within: 2h }
          - { id: SEV4, name: Cosmetic, ack_within: 1d }
        services:
          - { id: web, depends_on: [api] }
          - { id: api, depends_on: [db] }
          - { id: db }
        """;

    private readonly bool _ownsDir;

    private LifecycleHarness(TempDirectory dir, bool ownsDir, FakeTimeProvider time, SqliteVigilStore store, ConfigState config)
    {
        Dir = dir;
        _ownsDir = ownsDir;
        Time = time;
        Store = store;
        Config = config;
        Policies = new IncidentPolicies(config, NullLogger<IncidentPolicies>.Instance);
        Health = new HealthBoard(time, NullLogger<HealthBoard>.Instance);
        Timers = new IncidentTimers(store, Policies, time, Health);
    }

    public TempDirectory Dir { get; }

    public HealthBoard Health { get; }

    public FakeTimeProvider Time { get; }

    public SqliteVigilStore Store { get; }

    public ConfigState Config { get; }

    public IncidentPolicies Policies { get; }

    public IncidentTimers Timers { get; }

    public IncidentPolicy Policy => Policies.Current;

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>
    /// Starts on <paramref name="dir"/> (a fresh folder when null) and <paramref name="time"/> (a
    /// fresh clock at <see cref="Start"/> when null). Passing the folder and clock of a disposed
    /// harness is a restart: same database file, same clock.
    /// </summary>
    public static async Task<LifecycleHarness> StartAsync(string yaml = SevConfig, TempDirectory? dir = null, FakeTimeProvider? time = null)
    {
        var owns = dir is null;
        dir ??= new TempDirectory();
        time ??= new FakeTimeProvider(Start);
        var path = dir.File("vigil.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var loaded = ConfigLoader.Load(path, _ => null);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        var store = new SqliteVigilStore(dir.File("vigil.db"), time);
        await store.MigrateAsync(CancellationToken.None);
        var config = new ConfigState(new ConfigSnapshot(loaded.Config!, path, loaded.SourceFiles, time.GetUtcNow()), store, time, NullLogger<ConfigState>.Instance);
        return new LifecycleHarness(dir, owns, time, store, config);
    }

    /// <summary>Applies one signal the way the intake queue and the check engine do: in one store transaction.</summary>
    public Task<SignalOutcome> ApplyAsync(Signal signal, string actor = "intake:test") =>
        Store.RecordAsync((s, c) => IncidentWriter.ApplySignalAsync(s, Policy, signal, actor, c), CancellationToken.None);

    /// <summary>A lifecycle action the way the API applies it: a refusal rolls back and writes nothing.</summary>
    public async Task<(Incident? Incident, string? Refusal)> TransitionAsync(long id, LifecycleAction action, string actor = "alice", string? reason = null)
    {
        try
        {
            return await Store.WriteAsync(async (s, c) =>
            {
                var incident = await s.Incidents.GetAsync(id, c) ?? throw new InvalidOperationException($"no incident #{id}");
                var result = await IncidentWriter.TransitionAsync(s, Policy, incident, action, actor, reason, c);
                return result.Refusal is null ? result : throw new RefusedException(result.Refusal);
            }, CancellationToken.None);
        }
        catch (RefusedException r)
        {
            return (null, r.Message);
        }
    }

    /// <summary>Records that the PIR was written, as <c>POST /api/v1/incidents/{id}/pir</c> does.</summary>
    public Task<Incident> RecordPirAsync(long id, string actor = "alice") =>
        Store.WriteAsync(async (s, c) =>
        {
            var incident = await s.Incidents.GetAsync(id, c) ?? throw new InvalidOperationException($"no incident #{id}");
            var next = incident with { PirAt = s.Now };
            await s.Incidents.UpdateAsync(next, c);
            await IncidentWriter.RecordAsync(s, next, TimelineKinds.Pir, actor, $"Post-incident review written by {actor}", "incident.pir", s.Now, null, null, c);
            return next;
        }, CancellationToken.None);

    public Task<int> SweepAsync() => Timers.SweepAsync(CancellationToken.None);

    public async Task<Incident> IncidentAsync(long id) =>
        await Store.ReadAsync((s, c) => s.Incidents.GetAsync(id, c), CancellationToken.None) ?? throw new InvalidOperationException($"no incident #{id}");

    public Task<IReadOnlyList<Incident>> IncidentsAsync() =>
        Store.ReadAsync((s, c) => s.Incidents.ListAsync(new IncidentQuery(Limit: 1000), c), CancellationToken.None);

    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(long id) =>
        Store.ReadAsync((s, c) => s.Incidents.ListTimelineAsync(id, c), CancellationToken.None);

    public Task<IReadOnlyList<IncidentSignal>> SignalsAsync(long id) =>
        Store.ReadAsync((s, c) => s.Incidents.ListSignalsAsync(id, c), CancellationToken.None);

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(int count = 200) =>
        Store.ReadAsync((s, c) => s.Audit.TailAsync(count, c), CancellationToken.None);

    public Task<DateTimeOffset?> NextDueAsync() =>
        Store.ReadAsync((s, c) => s.Incidents.NextDueAsync(c), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_ownsDir)
        {
            Dir.Dispose();
        }
    }

    private sealed class RefusedException(string message) : Exception(message);
}
