using Vigil.Core.Incidents;

namespace Vigil.Storage.Tests;

public abstract class IncidentDependencyQueryTests(Backend backend) : StoreTest(backend, T0)
{
    private static new readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OldestOpenForServicesAsync_SkipsClosedAndOtherServices_ReturnsLowestOpenId()
    {
        var ids = await Store.RecordAsync(async (s, ct) =>
        {
            var resolvedDb = await s.Incidents.InsertAsync(New("db", IncidentStatus.Resolved), ct);
            var openWeb = await s.Incidents.InsertAsync(New("web", IncidentStatus.Triggered), ct);
            var ackedCache = await s.Incidents.InsertAsync(New("cache", IncidentStatus.Acknowledged), ct);
            var openDb = await s.Incidents.InsertAsync(New("db", IncidentStatus.Mitigated), ct);
            return (resolvedDb.Id, openWeb.Id, ackedCache.Id, openDb.Id);
        }, CancellationToken.None);

        var oldest = await Store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync(["db", "cache"], ct), CancellationToken.None);
        var dbOnly = await Store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync(["db"], ct), CancellationToken.None);
        var none = await Store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync(["queue"], ct), CancellationToken.None);
        var empty = await Store.ReadAsync((s, ct) => s.Incidents.OldestOpenForServicesAsync([], ct), CancellationToken.None);

        Assert.Equal(ids.Item3, oldest?.Id);
        Assert.Equal("cache", oldest?.Service);
        Assert.Equal(ids.Item4, dbOnly?.Id);
        Assert.Null(none);
        Assert.Null(empty);
    }

    private static Incident New(string service, IncidentStatus status) =>
        new(0, $"{service} down", "P1", service, status, "g:" + service + status, "test", T0, null, null, null, null, null, null, true, 0,
            null, null, null, null, new Dictionary<string, string>());

    public sealed class OnSqlite() : IncidentDependencyQueryTests(Backend.Sqlite);

    public sealed class OnPostgres() : IncidentDependencyQueryTests(Backend.Postgres);
}
