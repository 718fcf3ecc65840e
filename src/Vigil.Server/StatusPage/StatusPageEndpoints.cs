using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Http;

namespace Vigil.Server.StatusPage;

/// <summary>
/// The public status page routes, served without a token from the rendered snapshot:
/// <c>{path}</c>, <c>{path}.json</c>, <c>{path}/feed.atom</c>, <c>{path}/status.css</c>,
/// <c>/badge/{service}.svg</c> and <c>/badge/{service}/uptime.svg</c>. Each answers with a strong ETag
/// (304 on If-None-Match) and Cache-Control; the HTML carries a Content-Security-Policy that allows no script at all.
/// </summary>
internal static class StatusPageEndpoints
{
    private const string PageCache = "public, max-age=30";
    private const string AssetCache = "public, max-age=86400";
    private static readonly string[] GetHead = ["GET", "HEAD"];

    public static void MapStatusPageEndpoints(this IEndpointRouteBuilder app)
    {
        var publisher = app.ServiceProvider.GetRequiredService<StatusPagePublisher>();
        var config = app.ServiceProvider.GetRequiredService<ConfigState>();
        var path = publisher.Path;

        app.MapMethods(path, GetHead, (HttpContext http) => Serve(http, config, publisher, s => s.Html, PageCache, html: true))
            .AllowAnonymousAccess().WithTags("Status page").WithSummary("The public status page (HTML, no script).");
        app.MapMethods(path + ".json", GetHead, (HttpContext http) => Serve(http, config, publisher, s => s.Json, PageCache))
            .AllowAnonymousAccess().WithTags("Status page").WithSummary("The public status page as JSON (shape in docs/status-page.md).");
        app.MapMethods(path + "/feed.atom", GetHead, (HttpContext http) => Serve(http, config, publisher, s => s.Atom, PageCache))
            .AllowAnonymousAccess().WithTags("Status page").WithSummary("Atom feed of public incidents and maintenance.");
        app.MapMethods(path + "/status.css", GetHead, (HttpContext http) => Serve(http, config, publisher, _ => StatusPageCss.Resource, AssetCache, needsSnapshot: false))
            .AllowAnonymousAccess().WithTags("Status page").WithSummary("The status page's stylesheet.");
        app.MapMethods("/badge/{file}", GetHead, (HttpContext http, string file) =>
        {
            if (!file.EndsWith(".svg", StringComparison.Ordinal))
            {
                return NotFound(http, $"No badge '{file}': badges are /badge/SERVICE.svg (state) and /badge/SERVICE/uptime.svg.");
            }

            var service = file[..^4];
            return Serve(http, config, publisher, s => s.Badges.TryGetValue(service, out var b) ? b.State : null, PageCache, badgeOf: service);
        }).AllowAnonymousAccess().WithTags("Status page").WithSummary("Shields-style state badge of a public service.");
        app.MapMethods("/badge/{service}/uptime.svg", GetHead, (HttpContext http, string service) =>
            Serve(http, config, publisher, s => s.Badges.TryGetValue(service, out var b) ? b.Uptime : null, PageCache, badgeOf: service))
            .AllowAnonymousAccess().WithTags("Status page").WithSummary("Shields-style 90-day uptime badge of a public service.");
    }

    private static Task Serve(HttpContext http, ConfigState config, StatusPagePublisher publisher, Func<StatusPageSnapshot, RenderedResource?> pick, string cacheControl,
        bool html = false, bool needsSnapshot = true, string? badgeOf = null)
    {
        if (!config.Current.Config.StatusPage.Enabled)
        {
            return NotFound(http, "The status page is turned off (status_page.enabled: false in the config).");
        }

        var snapshot = publisher.Current;
        RenderedResource? resource;
        if (!needsSnapshot)
        {
            resource = pick(null!);
        }
        else if (snapshot is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return Problem(http, StatusCodes.Status503ServiceUnavailable, "Not ready", "The status page is being prepared (uptime is read from the history at start); try again in a few seconds.");
        }
        else
        {
            resource = pick(snapshot);
        }

        if (resource is null)
        {
            // The same answer for a service that does not exist and one that is not public: a badge must not reveal internal services.
            return NotFound(http, $"No public service '{badgeOf}' on the status page; badges exist for the services it lists (see {publisher.Path}.json).");
        }

        var gzip = resource.Gzip is not null && AcceptsGzip(http.Request);
        var etag = gzip ? resource.GzipETag! : resource.ETag;
        var headers = http.Response.Headers;
        headers.ETag = etag;
        if (resource.Gzip is not null)
        {
            headers.Vary = "Accept-Encoding";
        }

        headers.CacheControl = cacheControl;
        headers.XContentTypeOptions = "nosniff";
        if (html)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy(config.Current.Config.StatusPage.LogoUrl);
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
        }

        if (IsNotModified(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = gzip ? resource.Gzip! : resource.Body;
        if (gzip)
        {
            headers.ContentEncoding = "gzip";
        }

        http.Response.ContentType = resource.ContentType;
        http.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    /// <summary>No script from anywhere, styles and images from this origin only (and the configured logo's origin).</summary>
    internal static string ContentSecurityPolicy(string? logoUrl)
    {
        var img = "'self'";
        if (logoUrl is not null && Uri.TryCreate(logoUrl, UriKind.Absolute, out var logo) && (logo.Scheme == Uri.UriSchemeHttps || logo.Scheme == Uri.UriSchemeHttp))
        {
            img += " " + logo.GetLeftPart(UriPartial.Authority);
        }

        return $"default-src 'none'; style-src 'self'; img-src {img}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>Whether Accept-Encoding lists gzip (or *) without q=0.</summary>
    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = part.Split(';', 2, StringSplitOptions.TrimEntries);
                if ((token[0].Equals("gzip", StringComparison.OrdinalIgnoreCase) || token[0] == "*")
                    && !(token.Length > 1 && token[1].Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsNotModified(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        foreach (var value in header)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
                if (part == "*" || part == etag || (part.StartsWith("W/", StringComparison.Ordinal) && part[2..] == etag))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Task NotFound(HttpContext http, string detail) => Problem(http, StatusCodes.Status404NotFound, "Not found", detail);

    private static Task Problem(HttpContext http, int status, string title, string detail) =>
        Problems.Status(status, title, detail).ExecuteAsync(http);
}
