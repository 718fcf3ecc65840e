using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Auth;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.WebConsole;

/// <summary>
/// Authentication and role enforcement for console pages, before the page runs: the session cookie
/// gives the principal; no session sends a page view to sign-in and refuses a form post (401); a form
/// post whose form mirrors an API route needs that route's role (403), whatever the page showed.
/// </summary>
internal static class ConsoleGate
{
    public static async Task InvokeAsync(HttpContext context, Endpoint endpoint, RequestDelegate next)
    {
        var sessions = context.RequestServices.GetRequiredService<ConsoleSessions>();
        var principal = await sessions.FindAsync(ConsoleSessions.Read(context.Request), context.RequestAborted);
        if (principal is not null)
        {
            context.Items[TokenAuthMiddleware.PrincipalKey] = principal;
        }

        if (endpoint.Metadata.GetMetadata<ConsoleAnonymousAttribute>() is not null)
        {
            await next(context);
            return;
        }

        if (principal is null)
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                var back = context.Request.Path + context.Request.QueryString;
                context.Response.Redirect("/console/login?returnUrl=" + Uri.EscapeDataString(back));
                return;
            }

            await Problems.Status(StatusCodes.Status401Unauthorized, "Sign in again",
                "This console form needs a signed-in session; yours ended (signed out, expired, or its token was revoked). Sign in at /console/login.").ExecuteAsync(context);
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var handler = form["_handler"].ToString();
            var actions = context.RequestServices.GetRequiredService<ConsoleActions>();
            if (actions.RoleFor(handler) is { } role && !principal.Role.Satisfies(role))
            {
                await Problems.Status(StatusCodes.Status403Forbidden, "Forbidden",
                    $"This action needs role '{role.ToName()}' or higher, as its API route does; '{principal.Name}' has role '{principal.Role.ToName()}'.").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
