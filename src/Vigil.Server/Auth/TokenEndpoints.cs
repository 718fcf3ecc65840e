using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;

namespace Vigil.Server.Auth;

internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens").RequireRole(Role.Admin);

        group.MapGet("/", async (IVigilStore store, bool? all, CancellationToken ct) =>
        {
            var tokens = await store.ReadAsync((s, c) => s.Tokens.ListAsync(all ?? false, c), ct);
            return TypedResults.Ok(tokens.Select(TokenView.From).ToList());
        }).WithSummary("List tokens (active only unless ?all=true).");

        group.MapPost("/", async Task<IResult> (HttpContext http, TokenService service, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<CreateTokenRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            var errors = new Dictionary<string, string[]>();
            if (TokenService.ValidateName(body!.Name) is { } nameError)
            {
                errors["name"] = [nameError];
            }

            if (!Roles.TryParse(body.Role, out var role))
            {
                errors["role"] = [$"Role '{body.Role}' is not one of: {string.Join(", ", Roles.Names)}."];
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var (created, conflict) = await service.CreateAsync(body.Name!, role, http.GetPrincipal().Name, body.Reason, ct);
            return created is null ? Problems.Conflict(conflict!) : TypedResults.Created($"/api/v1/tokens/{created.Token.Id}", created);
        }).Accepts<CreateTokenRequest>("application/json").Produces<CreatedTokenView>(StatusCodes.Status201Created)
          .WithSummary("Create a token. The secret is in the answer and never shown again.");

        group.MapDelete("/{id}", async Task<IResult> (string id, string? reason, HttpContext http, TokenService service, CancellationToken ct) =>
        {
            if (!long.TryParse(id, out var tokenId) || tokenId <= 0)
            {
                return Problems.Invalid("id", $"Token id '{id}' is not a positive number; see 'vigil token list'.");
            }

            var revoked = await service.RevokeAsync(tokenId, http.GetPrincipal().Name, reason, ct);
            return revoked is null ? Problems.NotFound($"There is no token with id {tokenId}; see 'vigil token list'.") : TypedResults.Ok(revoked);
        }).Produces<TokenView>().WithSummary("Revoke a token. Revoking an already revoked token is a no-op.");
    }
}
