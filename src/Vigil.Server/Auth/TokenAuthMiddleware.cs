using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Auth;
using Vigil.Core.Tokens;
using Vigil.Server.Http;

namespace Vigil.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> tokens and enforces each route's role. Secure by
/// default: a route that declares no role and is not marked anonymous needs an admin token.
/// </summary>
internal sealed class TokenAuthMiddleware(RequestDelegate next, TokenLookup lookup)
{
    public const string PrincipalKey = "vigil.principal";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<AnonymousAccess>() is not null)
        {
            await next(context);
            return;
        }

        if (endpoint.Metadata.GetMetadata<WebConsole.ConsoleEndpoint>() is not null)
        {
            await WebConsole.ConsoleGate.InvokeAsync(context, endpoint, next);
            return;
        }

        var required = endpoint.Metadata.GetMetadata<RequiredRole>()?.Role ?? Role.Admin;
        var secret = ReadBearer(context.Request);
        // The console's live parts (EventSource) cannot send a bearer token: reads accept its session cookie.
        // Only reads: a form post from the console goes through the console's own pages and their antiforgery.
        if (secret is null && HttpMethods.IsGet(context.Request.Method)
            && WebConsole.ConsoleSessions.Read(context.Request) is { } session
            && await context.RequestServices.GetRequiredService<WebConsole.ConsoleSessions>().FindAsync(session, context.RequestAborted) is { } viaSession)
        {
            if (!viaSession.Role.Satisfies(required))
            {
                await Deny(context, StatusCodes.Status403Forbidden, "Forbidden",
                    $"This route needs role '{required.ToName()}' or higher; '{viaSession.Name}' has role '{viaSession.Role.ToName()}'.");
                return;
            }

            context.Items[PrincipalKey] = viaSession;
            await next(context);
            return;
        }

        if (secret is null)
        {
            await Deny(context, StatusCodes.Status401Unauthorized, "Authentication required",
                "Send an API token as 'Authorization: Bearer <token>' (vigil CLI: --token or VIGIL_TOKEN).");
            return;
        }

        var principal = TokenSecret.LooksValid(secret) ? await lookup.FindAsync(secret, context.RequestAborted) : null;
        if (principal is null)
        {
            await Deny(context, StatusCodes.Status401Unauthorized, "Invalid token",
                "The token is unknown or revoked; send a current one (an admin creates tokens).");
            return;
        }

        if (!principal.Role.Satisfies(required))
        {
            await Deny(context, StatusCodes.Status403Forbidden, "Forbidden",
                required == Role.Intake
                    ? $"This intake route takes an intake token or role 'responder' or higher; token '{principal.Name}' has role '{principal.Role.ToName()}'."
                    : principal.Role == Role.Intake
                        ? $"Token '{principal.Name}' is an intake token: it may only send signals (Alertmanager, /api/v2/alerts, /api/v1/events). This route needs role '{required.ToName()}' or higher."
                        : $"This route needs role '{required.ToName()}' or higher; token '{principal.Name}' has role '{principal.Role.ToName()}'.");
            return;
        }

        context.Items[PrincipalKey] = principal;
        await next(context);
    }

    /// <summary>
    /// The token from <c>Authorization: Bearer TOKEN</c>, or from <c>Authorization: Basic</c> with the token as the
    /// password (any user name), which is what amtool's and Grafana's Alertmanager clients can send.
    /// </summary>
    private static string? ReadBearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        const string basic = "Basic ";
        if (header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return header[bearer.Length..].Trim();
        }

        if (header.StartsWith(basic, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[basic.Length..].Trim()));
                return pair.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 && colon < pair.Length - 1 ? pair[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private static async Task Deny(HttpContext context, int status, string title, string detail)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await Problems.Status(status, title, detail).ExecuteAsync(context);
    }
}
