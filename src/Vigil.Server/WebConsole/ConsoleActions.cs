using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Server.Auth;

namespace Vigil.Server.WebConsole;

/// <summary>
/// The console's forms and the API route each one mirrors. A form's role is read from that route's
/// own metadata (<see cref="RequiredRole"/>), so the console enforces and shows exactly what the API
/// allows, with no second table of roles to drift.
/// </summary>
internal sealed class ConsoleActions(EndpointDataSource endpoints)
{
    /// <summary>Form name (Blazor's <c>_handler</c>) → the POST route it mirrors (or <c>DELETE /route</c> for a DELETE route).</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ack"] = "/api/v1/incidents/{id:long}/ack",
        ["mitigate"] = "/api/v1/incidents/{id:long}/mitigate",
        ["resolve"] = "/api/v1/incidents/{id:long}/resolve",
        ["close"] = "/api/v1/incidents/{id:long}/close",
        ["note"] = "/api/v1/incidents/{id:long}/notes",
        ["assign"] = "/api/v1/incidents/{id:long}/assign",
        ["tick"] = "/api/v1/incidents/{id:long}/checklist/{number:int}",
        ["action"] = "/api/v1/incidents/{id:long}/actions",
        ["action-done"] = "/api/v1/incidents/{id:long}/actions/{actionId:long}/done",
        ["run"] = "/api/v1/runbook-runs",
        ["approve"] = "/api/v1/runbook-runs/{id:long}/approve",
        ["cancel"] = "/api/v1/runbook-runs/{id:long}/cancel",
        ["confirm"] = "/api/v1/runbook-runs/{id:long}/confirm",
        ["probe"] = "/api/v1/checks/probe",
        ["pause"] = "/api/v1/checks/{service}/{check}/pause",
        ["resume"] = "/api/v1/checks/{service}/{check}/resume",
        ["silence"] = "/api/v1/silences",
        ["expire"] = "/api/v1/silences/{id:long}/expire",
        ["window"] = "/api/v1/windows",
        ["window-cancel"] = "DELETE /api/v1/windows/{id:long}",
        ["freeze"] = "/api/v1/freezes",
        ["lift"] = "/api/v1/freezes/lift",
        ["override"] = "/api/v1/overrides",
        ["override-remove"] = "DELETE /api/v1/overrides/{id:long}",
        ["journal"] = "/api/v1/journal",
    };

    private Dictionary<string, Role>? _roles;

    /// <summary>
    /// The lowest role that may use form <paramref name="form"/>; null for a form that mirrors no API route.
    /// A form repeated on a page is named <c>action:suffix</c> (<c>pause:health</c>) and takes the action's role.
    /// </summary>
    public Role? RoleFor(string form)
    {
        var colon = form.IndexOf(':', StringComparison.Ordinal);
        var action = colon < 0 ? form : form[..colon];
        return (_roles ??= Resolve()).TryGetValue(action, out var role) ? role : null;
    }

    public bool Allows(Principal? principal, string form) =>
        principal is not null && RoleFor(form) is { } role && principal.Role.Satisfies(role);

    private Dictionary<string, Role> Resolve()
    {
        var byRoute = endpoints.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "DELETE")
                .Select(m => (Key: (m == "POST" ? "" : m + " ") + "/" + e.RoutePattern.RawText!.Trim('/'), Endpoint: e)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.First().Endpoint, StringComparer.Ordinal);
        return Routes.ToDictionary(r => r.Key, r => byRoute.TryGetValue(r.Value, out var endpoint)
            // Routes that declare no role need admin, as TokenAuthMiddleware treats them.
            ? endpoint.Metadata.GetMetadata<RequiredRole>()?.Role ?? Role.Admin
            : throw new InvalidOperationException($"The console form '{r.Key}' mirrors {r.Value}, which is not mapped."), StringComparer.Ordinal);
    }
}
