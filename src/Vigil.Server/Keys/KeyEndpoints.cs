using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Signing;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.Keys;

internal static class KeyEndpoints
{
    public static void MapKeyEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/keys").WithTags("Keys").RequireRole(Role.Admin);

        group.MapGet("/", (KeyService keys, TimeProvider time) => TypedResults.Ok(View(keys, time.GetUtcNow())))
            .WithSummary("The signing keys: ids, validity windows, states and public halves (never private halves).");

        group.MapGet("/public", (KeyService keys) =>
                TypedResults.Text(KeyRingJson.Serialize(keys.Ring.PublicOnly()), "application/json"))
            .Produces<string>(StatusCodes.Status200OK, "application/json")
            .WithSummary("The public key ring in the key file format, for 'vigil audit verify --keys' on another machine.");

        group.MapPost("/rotate", async Task<IResult> (HttpContext http, KeyService keys, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new KeyChangeRequest(null), ct);
            if (error is not null)
            {
                return error;
            }

            var outcome = await keys.RotateAsync(http.GetPrincipal().Name, body!.Reason, ct);
            return outcome.ToResult(v => TypedResults.Ok(v));
        }).Accepts<KeyChangeRequest>("application/json").Produces<KeyView>()
          .WithSummary("Put a new signing key in service; the current one is retired and keeps verifying what it signed.");

        group.MapPost("/{id}/retire", async Task<IResult> (string id, HttpContext http, KeyService keys, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new KeyChangeRequest(null), ct);
            if (error is not null)
            {
                return error;
            }

            var outcome = await keys.RetireAsync(id, body!.At, http.GetPrincipal().Name, body.Reason, ct);
            return outcome.ToResult(v => TypedResults.Ok(v));
        }).Accepts<KeyChangeRequest>("application/json").Produces<KeyView>()
          .WithSummary("Retire a key: signatures dated from 'at' (default now) on no longer verify with it. The signing key is refused: rotate instead.");
    }

    public static KeyRingView View(KeyService keys, DateTimeOffset now) =>
        new(keys.Source switch { KeySource.DataFolder => "data-folder", KeySource.File => "file", _ => "environment" }, keys.Path,
            keys.Ring.Keys.Select(k => KeyView.From(k, keys.Ring, now)).ToList());
}
