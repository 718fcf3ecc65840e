using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Vigil.Core.Auth;
using Vigil.Core.Storage;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Hosting;
using Vigil.Server.Keys;

namespace Vigil.Server.Export;

internal static class ExportEndpoints
{
    public static void MapExportEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/export", async Task (HttpContext http, IVigilStore store, KeyService keys, ServerInfo info, ConfigState config, TimeProvider time,
                CancellationToken ct) =>
            {
                http.Response.ContentType = "application/x-ndjson";
                http.Response.Headers[HeaderNames.ContentDisposition] = "attachment; filename=\"vigil-export.jsonl\"";
                // Streamed: a failure after the first bytes cuts the file short, which readers report as truncated (no signature line).
                await StateExport.WriteAsync(store, keys, info, config.Current.Config.Vigil.Name, http.GetPrincipal().Name, http.Response.Body, time, ct);
            })
            .RequireRole(Role.Admin)
            .WithTags("Export")
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson")
            .WithSummary("Vigil's state as a signed export file (JSON Lines; docs/export-schema.json). Audited as state.export. Import is offline: 'vigil import'.");
    }
}
