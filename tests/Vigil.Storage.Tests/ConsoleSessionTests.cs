using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests;

/// <summary>Console sessions (stored by hash, tied to a token) against a real SQLite file.</summary>
public sealed class ConsoleSessionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);
    private SqliteVigilStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteVigilStore(_dir.File("vigil.db"), _time);
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task FindSessionToken_LiveSession_GivesItsToken_UntilItExpires()
    {
        var token = await InsertTokenAndSessionAsync("hash-a", Start.AddHours(1));
        var found = await _store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-a", _time.GetUtcNow(), c), CancellationToken.None);
        Assert.Equal(token, found?.Id);
        Assert.Null(await _store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-other", _time.GetUtcNow(), c), CancellationToken.None));

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await _store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-a", _time.GetUtcNow(), c), CancellationToken.None));
    }

    [Fact]
    public async Task RevokeToken_EndsItsSessions()
    {
        var token = await InsertTokenAndSessionAsync("hash-b", Start.AddHours(12));
        await _store.WriteAsync(async (s, c) =>
        {
            await s.Tokens.RevokeAsync(token, c);
            await s.Audit.AppendAsync(new AuditDraft("test", "token.revoke", $"token/{token}"), c);
            return 0;
        }, CancellationToken.None);
        Assert.Null(await _store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-b", _time.GetUtcNow(), c), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteSession_SignsOut_AndSaysWhetherThereWasOne()
    {
        await InsertTokenAndSessionAsync("hash-c", Start.AddHours(12));
        var (first, second) = await _store.WriteAsync(async (s, c) =>
        {
            var a = await s.Tokens.DeleteSessionAsync("hash-c", c);
            var b = await s.Tokens.DeleteSessionAsync("hash-c", c);
            await s.Audit.AppendAsync(new AuditDraft("test", "console.sign_out", "token/1"), c);
            return (a, b);
        }, CancellationToken.None);
        Assert.True(first);
        Assert.False(second);
        Assert.Null(await _store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-c", _time.GetUtcNow(), c), CancellationToken.None));
    }

    private Task<long> InsertTokenAndSessionAsync(string sessionHash, DateTimeOffset expires) =>
        _store.WriteAsync(async (s, c) =>
        {
            var token = await s.Tokens.InsertAsync("t-" + sessionHash, Role.Responder, "vgl_x", "token-" + sessionHash, "test", c);
            await s.Tokens.InsertSessionAsync(sessionHash, token.Id, expires, c);
            await s.Audit.AppendAsync(new AuditDraft("test", "console.sign_in", $"token/{token.Id}"), c);
            return token.Id;
        }, CancellationToken.None);
}
