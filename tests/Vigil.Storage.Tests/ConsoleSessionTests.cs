using Vigil.Core.Audit;
using Vigil.Core.Auth;

namespace Vigil.Storage.Tests;

/// <summary>Console sessions (stored by hash, tied to a token) on each backend.</summary>
public abstract class ConsoleSessionTests(Backend backend) : StoreTest(backend, Start)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FindSessionToken_LiveSession_GivesItsToken_UntilItExpires()
    {
        var token = await InsertTokenAndSessionAsync("hash-a", Start.AddHours(1));
        var found = await Store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-a", Time.GetUtcNow(), c), CancellationToken.None);
        Assert.Equal(token, found?.Id);
        Assert.Null(await Store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-other", Time.GetUtcNow(), c), CancellationToken.None));

        Time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await Store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-a", Time.GetUtcNow(), c), CancellationToken.None));
    }

    [Fact]
    public async Task RevokeToken_EndsItsSessions()
    {
        var token = await InsertTokenAndSessionAsync("hash-b", Start.AddHours(12));
        await Store.WriteAsync(async (s, c) =>
        {
            await s.Tokens.RevokeAsync(token, c);
            await s.Audit.AppendAsync(new AuditDraft("test", "token.revoke", $"token/{token}"), c);
            return 0;
        }, CancellationToken.None);
        Assert.Null(await Store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-b", Time.GetUtcNow(), c), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteSession_SignsOut_AndSaysWhetherThereWasOne()
    {
        await InsertTokenAndSessionAsync("hash-c", Start.AddHours(12));
        var (first, second) = await Store.WriteAsync(async (s, c) =>
        {
            var a = await s.Tokens.DeleteSessionAsync("hash-c", c);
            var b = await s.Tokens.DeleteSessionAsync("hash-c", c);
            await s.Audit.AppendAsync(new AuditDraft("test", "console.sign_out", "token/1"), c);
            return (a, b);
        }, CancellationToken.None);
        Assert.True(first);
        Assert.False(second);
        Assert.Null(await Store.ReadAsync((s, c) => s.Tokens.FindSessionTokenAsync("hash-c", Time.GetUtcNow(), c), CancellationToken.None));
    }

    private Task<long> InsertTokenAndSessionAsync(string sessionHash, DateTimeOffset expires) =>
        Store.WriteAsync(async (s, c) =>
        {
            var token = await s.Tokens.InsertAsync("t-" + sessionHash, Role.Responder, "vgl_x", "token-" + sessionHash, "test", c);
            await s.Tokens.InsertSessionAsync(sessionHash, token.Id, expires, c);
            await s.Audit.AppendAsync(new AuditDraft("test", "console.sign_in", $"token/{token.Id}"), c);
            return token.Id;
        }, CancellationToken.None);

    public sealed class OnSqlite() : ConsoleSessionTests(Backend.Sqlite);

    public sealed class OnPostgres() : ConsoleSessionTests(Backend.Postgres);
}
