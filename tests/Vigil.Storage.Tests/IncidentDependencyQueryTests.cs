using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Incidents;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

public sealed class IncidentDependencyQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private SqliteVigilStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteVigilStore(_dir.File("vigil.db"), new FakeTimeProvider(T0));
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task OldestOpenForServicesAsync_SkipsClosedAndOtherServices_ReturnsLowestOpenId()
    {
        var ids = await _store.RecordAsync(async (s, ct) =>
        {
            var resolvedDb = await s.Incidents.InsertAsync(New("db", IncidentStatus.Resolved), ct);
            var openWeb = await s.Incidents.InsertAsync(New("web", IncidentStatus.Triggered), ct);
            var ackedCache = await s.Incidents.InsertAsync(New("cache", IncidentStatus.Acknowledged), ct);
            var openDb = await s.Incidents.InsertAsync(New("db", IncidentStatus.Mitigated), ct);
            return (resolvedDb.Id, openWeb.Id, ackedCache.Id, openDb.Id);
        }, CancellationToken.None);

        var oldest = await _store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync(["db", "cache"], ct), CancellationToken.None);
        var dbOnly = await _store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync(["db"], ct), CancellationToken.None);
        var none = await _store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync(["queue"], ct), CancellationToken.None);
        var empty = await _store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync([], ct), CancellationToken.None);

        Assert.Equal(ids.Item3, oldest?.Id);
        Assert.Equal("cache", oldest?.Service);
        Assert.Equal(ids.Item4, dbOnly?.Id);
        Assert.Null(none);
        Assert.Null(empty);
    }

    private static Incident New(string service, IncidentStatus status) =>
        new(0, $"{service} down", "P1", service, status, "g:" + service + status, "test", T0, null, null, null, null, null, null, true, 0,
            null, null, null, null, new Dictionary<string, string>());
}
