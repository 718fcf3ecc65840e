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
        await Db.ExecuteAsync(db, "DELETE FROM console_sessions WHERE token_id = @id", ct, ("@id", id));
        return await GetAsync(id, ct);
    }

    public async Task InsertSessionAsync(string hash, long tokenId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        // Expired sessions are swept on each sign-in, so the table holds only live ones.
        await Db.ExecuteAsync(db, "DELETE FROM console_sessions WHERE expires_at <= @now", ct, ("@now", Db.Millis(now())));
        await Db.ExecuteAsync(db, "INSERT INTO console_sessions (hash, token_id, created_at, expires_at) VALUES (@hash, @token, @at, @expires)", ct,
            ("@hash", hash), ("@token", tokenId), ("@at", Db.Millis(now())), ("@expires", Db.Millis(expiresAt)));
    }

    public async Task<ApiToken?> FindSessionTokenAsync(string hash, DateTimeOffset now, CancellationToken ct) =>
        (await Db.QueryAsync(db,
            "SELECT t.id, t.name, t.role, t.prefix, t.created_at, t.created_by, t.revoked_at FROM console_sessions s JOIN api_tokens t ON t.id = s.token_id "
            + "WHERE s.hash = @hash AND s.expires_at > @now AND t.revoked_at IS NULL", Map, ct, ("@hash", hash), ("@now", Db.Millis(now))))
        .FirstOrDefault();

    public async Task<bool> DeleteSessionAsync(string hash, CancellationToken ct) =>
        await Db.ExecuteAsync(db, "DELETE FROM console_sessions WHERE hash = @hash", ct, ("@hash", hash)) > 0;

    private static ApiToken Map(DbDataReader r)
    {
        Roles.TryParse(r.GetString(2), out var role);
        return new ApiToken(r.GetInt64(0), r.GetString(1), role, r.GetString(3), r.Time(4), r.GetString(5), r.NullableTime(6));
    }
}
