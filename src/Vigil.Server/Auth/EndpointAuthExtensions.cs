using Microsoft.AspNetCore.Builder;
using Vigil.Core.Auth;

namespace Vigil.Server.Auth;

internal static class EndpointAuthExtensions
{
    /// <summary>Declares the lowest role allowed on these routes. Routes that declare nothing need admin.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRole(role));

    public static TBuilder AllowAnonymousAccess<TBuilder>(this TBuilder builder, string? secretInPath = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnonymousAccess(secretInPath));

    public static Principal GetPrincipal(this Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Items[TokenAuthMiddleware.PrincipalKey] as Principal
        ?? throw new InvalidOperationException("No principal on an authenticated route; is the route missing its role?");
}
