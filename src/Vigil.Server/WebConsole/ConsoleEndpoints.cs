using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Auth;
using Vigil.Server.WebConsole.Pages;

namespace Vigil.Server.WebConsole;

/// <summary>The web console: Razor components rendered on the server (static SSR with streaming), in the API's Kestrel host.</summary>
internal static class ConsoleEndpoints
{
    /// <summary>No script or style from anywhere but this origin, and none inline.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void AddVigilConsole(this IServiceCollection services, string dataDir)
    {
        services.AddRazorComponents();
        // Antiforgery tokens stay valid across restarts: the keys live in the data directory.
        services.AddDataProtection().SetApplicationName("vigil").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<ConsoleActions>();
        services.AddSingleton<ConsoleSignInLinks>();
    }

    /// <summary>Security headers on every console response (pages, assets and the console's redirects).</summary>
    public static void UseConsoleHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path == "/" || path.StartsWithSegments("/console") || path.StartsWithSegments("/_framework"))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
            }

            await next(context);
        });

    public static void MapVigilConsole(this WebApplication app)
    {
        app.MapRazorComponents<App>().WithMetadata(new ConsoleEndpoint());
        app.MapGet("/", () => TypedResults.Redirect("/console")).AllowAnonymousAccess().ExcludeFromDescription();
        app.MapGet("/_framework/blazor.web.js", (HttpContext http) => ConsoleAssets.Serve("blazor.web.js", http)).AllowAnonymousAccess().ExcludeFromDescription();
        app.MapGet("/console/assets/{name}", (string name, HttpContext http) => ConsoleAssets.Serve(name, http)).AllowAnonymousAccess().ExcludeFromDescription();
        app.MapGet("/console/login/link/{code}", async Task<IResult> (string code, HttpContext http, ConsoleSignInLinks links, TokenLookup tokens, ConsoleSessions sessions,
            CancellationToken ct) =>
        {
            if (links.Redeem(code) is not { } tokenSecret || await tokens.FindAsync(tokenSecret, ct) is not { } principal)
            {
                return TypedResults.Redirect("/console/login?expired=1");
            }

            var (secret, expires) = await sessions.StartAsync(principal, "one-click sign-in link", ct);
            ConsoleSessions.SetCookie(http, secret, expires);
            return TypedResults.Redirect("/console");
        }).AllowAnonymousAccess("code").ExcludeFromDescription();
    }
}
