using System.Data.Common;
using Vigil.Core.Auth;
using Vigil.Core.Storage;
using Vigil.Core.Tokens;

namespace Vigil.Storage.Ado;

internal sealed class AdoTokenRepository(DbScope db, Func<DateTimeOffset> now) : ITokenRepository
{
    private const string Columns = "id, name, role, prefix, created_at, created_by, revoked_at";

    public async Task<ApiToken> InsertAsync(string name, Role role, string prefix, string hash, string createdBy, CancellationToken ct)
    {
        var rows = await Db.QueryAsync(db,
            $"INSERT INTO api_tokens (name, role, prefix, hash, created_at, created_by) VALUES (@name, @role, @prefix, @hash, @at, @by) RETURNING {Columns}",
            Map, ct, ("@name", name), ("@role", role.ToName()), ("@prefix", prefix), ("@hash", hash), ("@at", Db.Millis(now())), ("@by", createdBy));
        return rows[0];
    }

    public async Task<ApiToken?> FindActiveByHashAsync(string hash, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {Columns} FROM api_tokens WHERE hash = @hash AND revoked_at IS NULL", Map, ct, ("@hash", hash)))
        .FirstOrDefault();

    public async Task<ApiToken?> GetAsync(long id, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {Columns} FROM api_tokens WHERE id = @id", Map, ct, ("@id", id))).FirstOrDefault();

    public async Task<ApiToken?> FindActiveByNameAsync(string name, CancellationToken ct) =>
        (await Db.QueryAsync(db, $"SELECT {Columns} FROM api_tokens WHERE name = @name AND revoked_at IS NULL", Map, ct, ("@name", name)))
        .FirstOrDefault();

    public async Task<IReadOnlyList<ApiToken>> ListAsync(bool includeRevoked, CancellationToken ct) =>
        await Db.QueryAsync(db,
            $"SELECT {Columns} FROM api_tokens {(includeRevoked ? "" : "WHERE revoked_at IS NULL ")}ORDER BY id", Map, ct);

    public async Task<ApiToken?> RevokeAsync(long id, CancellationToken ct)
    {
        await Db.ExecuteAsync(db, "UPDATE api_tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", ct,
            ("@at", Db.Millis(now())), ("@id", id));
        return await GetAsync(id, ct);
    }

    private static ApiToken Map(DbDataReader r)
    {
        Roles.TryParse(r.GetString(2), out var role);
        return new ApiToken(r.GetInt64(0), r.GetString(1), role, r.GetString(3), r.Time(4), r.GetString(5), r.NullableTime(6));
    }
}
