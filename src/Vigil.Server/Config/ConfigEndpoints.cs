using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Server.Api;
using Vigil.Server.Auth;

namespace Vigil.Server.Config;

internal static class ConfigEndpoints
{
    public static void MapConfigEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/config").WithTags("Config");

        group.MapGet("/", (ConfigState state) =>
        {
            var snap = state.Current;
            return TypedResults.Ok(new ConfigView(snap.Config.Vigil.Name, snap.Config.Digest, snap.Path, snap.SourceFiles, snap.LoadedAt,
                state.LastFailure, ConfigRenderer.ToYaml(snap.Config), ConfigState.WarningLines(snap.Config)));
        }).RequireRole(Role.Viewer).WithSummary("The config in force (normalized, secrets masked), its digest, and the last rejected reload.");

        group.MapPost("/reload", async Task<IResult> (HttpContext http, ConfigState state, CancellationToken ct) =>
        {
            var (outcome, errors) = await state.ReloadAsync(http.GetPrincipal().Name, ct);
            var view = new ReloadView(outcome, state.Current.Config.Digest, errors, ConfigState.WarningLines(state.Current.Config));
            return outcome == ReloadOutcome.Rejected
                ? TypedResults.UnprocessableEntity(view)
                : TypedResults.Ok(view);
        }).RequireRole(Role.Operator).Produces<ReloadView>().Produces<ReloadView>(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Reload the config files now. An invalid config is refused (422) and the last good one stays in force.");
    }
}
