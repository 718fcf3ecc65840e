using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Storage;
using Vigil.Core.Tokens;
using Vigil.Server.Api;
using Vigil.Server.Http;

namespace Vigil.Server.Auth;

/// <summary>Creates and revokes tokens, each change with its audit entry in the same transaction.</summary>
internal sealed partial class TokenService(IVigilStore store, TokenLookup lookup)
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex NamePattern();

    public static string? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A token needs a name, for example 'ci-deploy'."
        : NamePattern().IsMatch(name) ? null
        : $"Token name '{name}' is not valid: use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.";

    /// <summary>Creates a token; returns the secret once, or a conflict sentence when the name is taken.</summary>
    public Task<(CreatedTokenView? Created, string? Conflict)> CreateAsync(string name, Role role, string actor, string? reason, CancellationToken ct) =>
        store.WriteAsync<(CreatedTokenView?, string?)>(async (s, c) =>
        {
            if (await s.Tokens.FindActiveByNameAsync(name, c) is not null)
            {
                // Nothing changed, but the write contract wants an entry: record the refusal.
                await s.Audit.AppendAsync(new AuditDraft(actor, "token.create_refused", $"token/{name}", $"an active token named '{name}' exists"), c);
                return (null, $"An active token named '{name}' already exists. Revoke it first or pick another name.");
            }

            var secret = TokenSecret.Generate();
            var token = await s.Tokens.InsertAsync(name, role, TokenSecret.PrefixOf(secret), TokenSecret.Hash(secret), actor, c);
            var view = TokenView.From(token);
            await s.Audit.AppendAsync(new AuditDraft(actor, "token.create", $"token/{token.Id}", reason, null, Json(view)), c);
            return (new CreatedTokenView(view, secret), null);
        }, ct);

    /// <summary>Revokes a token; null when there is no such token.</summary>
    public async Task<TokenView?> RevokeAsync(long id, string actor, string? reason, CancellationToken ct)
    {
        var result = await store.WriteAsync(async (s, c) =>
        {
            var before = await s.Tokens.GetAsync(id, c);
            if (before is null)
            {
                await s.Audit.AppendAsync(new AuditDraft(actor, "token.revoke_refused", $"token/{id}", "no such token"), c);
                return null;
            }

            if (!before.IsActive)
            {
                await s.Audit.AppendAsync(new AuditDraft(actor, "token.revoke_refused", $"token/{id}", "already revoked"), c);
                return TokenView.From(before);
            }

            var after = await s.Tokens.RevokeAsync(id, c);
            await s.Audit.AppendAsync(new AuditDraft(actor, "token.revoke", $"token/{id}", reason, Json(TokenView.From(before)), Json(TokenView.From(after!))), c);
            return TokenView.From(after!);
        }, ct);
        lookup.Forget(id);
        return result;
    }

    private static string Json(TokenView view) => JsonSerializer.Serialize(view, VigilJson.Options);
}
