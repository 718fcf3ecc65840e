using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Vigil.Core.Operations;
using Vigil.Core.Storage;

namespace Vigil.Storage.Ado;

internal sealed class AdoOperationsRepository(DbConnection connection, DbTransaction transaction) : IOperationsRepository
{
    private const string FreezeColumns = "id, service, reason, created_by, created_at, lifted_at, lifted_by";
    private const string WindowColumns = "id, services, starts_at, ends_at, reason, blocks_deploys, created_by, created_at, cancelled_at, cancelled_by";

    public async Task<Freeze> AddFreezeAsync(string? service, string reason, string createdBy, DateTimeOffset at, CancellationToken ct)
    {
        var id = Convert.ToInt64(await Db.ScalarAsync(connection, transaction,
            "INSERT INTO freezes (service, reason, created_by, created_at) VALUES (@s, @r, @by, @at) RETURNING id", ct,
            ("@s", service), ("@r", reason), ("@by", createdBy), ("@at", Db.Millis(at))), CultureInfo.InvariantCulture);
        return new Freeze(id, service, reason, createdBy, at, null, null);
    }

    public async Task<IReadOnlyList<Freeze>> ListActiveFreezesAsync(CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction, $"SELECT {FreezeColumns} FROM freezes WHERE lifted_at IS NULL ORDER BY id",
            r => new Freeze(r.GetInt64(0), r.NullableString(1), r.GetString(2), r.GetString(3), r.Time(4), r.NullableTime(5), r.NullableString(6)), ct);

    public async Task<bool> LiftFreezeAsync(long id, string liftedBy, DateTimeOffset at, CancellationToken ct) =>
        await Db.ExecuteAsync(connection, transaction, "UPDATE freezes SET lifted_at = @at, lifted_by = @by WHERE id = @id AND lifted_at IS NULL", ct,
            ("@at", Db.Millis(at)), ("@by", liftedBy), ("@id", id)) > 0;

    public async Task<MaintenanceWindow> AddWindowAsync(IReadOnlyList<string> services, DateTimeOffset startsAt, DateTimeOffset endsAt, string reason, bool blocksDeploys,
        string createdBy, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var id = Convert.ToInt64(await Db.ScalarAsync(connection, transaction, """
            INSERT INTO maintenance_windows (services, starts_at, ends_at, reason, blocks_deploys, created_by, created_at)
            VALUES (@s, @from, @to, @r, @b, @by, @at) RETURNING id
            """, ct,
            ("@s", JsonSerializer.Serialize(services)), ("@from", Db.Millis(startsAt)), ("@to", Db.Millis(endsAt)), ("@r", reason),
            ("@b", blocksDeploys ? 1 : 0), ("@by", createdBy), ("@at", Db.Millis(at))), CultureInfo.InvariantCulture);
        return new MaintenanceWindow(id, services, startsAt, endsAt, reason, blocksDeploys, createdBy, at, null, null);
    }

    public async Task<MaintenanceWindow?> GetWindowAsync(long id, CancellationToken ct) =>
        (await Db.QueryAsync(connection, transaction, $"SELECT {WindowColumns} FROM maintenance_windows WHERE id = @id", MapWindow, ct, ("@id", id))).FirstOrDefault();

    public async Task<IReadOnlyList<MaintenanceWindow>> ListWindowsAsync(DateTimeOffset endingAfter, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction,
            $"SELECT {WindowColumns} FROM maintenance_windows WHERE cancelled_at IS NULL AND ends_at > @after ORDER BY starts_at, id",
            MapWindow, ct, ("@after", Db.Millis(endingAfter)));

    public async Task<bool> CancelWindowAsync(long id, string cancelledBy, DateTimeOffset at, CancellationToken ct) =>
        await Db.ExecuteAsync(connection, transaction, "UPDATE maintenance_windows SET cancelled_at = @at, cancelled_by = @by WHERE id = @id AND cancelled_at IS NULL", ct,
            ("@at", Db.Millis(at)), ("@by", cancelledBy), ("@id", id)) > 0;

    public async Task<Silence> AddSilenceAsync(IReadOnlyList<SilenceMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string comment, string createdBy,
        DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var id = Convert.ToInt64(await Db.ScalarAsync(connection, transaction, """
            INSERT INTO silences (matchers, starts_at, ends_at, comment, created_by, created_at) VALUES (@m, @from, @to, @c, @by, @at) RETURNING id
            """, ct, ("@m", JsonSerializer.Serialize(matchers)), ("@from", Db.Millis(startsAt)), ("@to", Db.Millis(endsAt)), ("@c", comment), ("@by", createdBy),
            ("@at", Db.Millis(at))), CultureInfo.InvariantCulture);
        return new Silence(id, matchers, startsAt, endsAt, comment, createdBy, at, null, null);
    }

    public async Task<IReadOnlyList<Silence>> ListSilencesAsync(DateTimeOffset endingAfter, CancellationToken ct) =>
        await Db.QueryAsync(connection, transaction,
            "SELECT id, matchers, starts_at, ends_at, comment, created_by, created_at, expired_at, expired_by FROM silences WHERE expired_at IS NULL AND ends_at > @after ORDER BY id",
            r => new Silence(r.GetInt64(0), JsonSerializer.Deserialize<List<SilenceMatcher>>(r.GetString(1)) ?? [], r.Time(2), r.Time(3), r.GetString(4), r.GetString(5),
                r.Time(6), r.NullableTime(7), r.NullableString(8)), ct, ("@after", Db.Millis(endingAfter)));

    public async Task<bool> ExpireSilenceAsync(long id, string expiredBy, DateTimeOffset at, CancellationToken ct) =>
        await Db.ExecuteAsync(connection, transaction,
            "UPDATE silences SET expired_at = @at, expired_by = @by WHERE id = @id AND expired_at IS NULL AND ends_at > @at", ct,
            ("@at", Db.Millis(at)), ("@by", expiredBy), ("@id", id)) > 0;

    private static MaintenanceWindow MapWindow(DbDataReader r) =>
        new(r.GetInt64(0), JsonSerializer.Deserialize<List<string>>(r.GetString(1)) ?? [], r.Time(2), r.Time(3), r.GetString(4), r.GetInt64(5) != 0,
            r.GetString(6), r.Time(7), r.NullableTime(8), r.NullableString(9));
}
