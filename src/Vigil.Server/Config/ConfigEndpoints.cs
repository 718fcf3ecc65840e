using System.Runtime.CompilerServices;
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
    // Computed once per loaded config: normalizing a large config costs more than a request should.
    private static readonly ConditionalWeakTable<VigilConfig, IReadOnlyDictionary<string, string>> SectionDigests = new();

    public static void MapConfigEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/config").WithTags("Config");

        group.MapGet("/", (ConfigState state) =>
        {
            var snap = state.Current;
            return TypedResults.Ok(new ConfigView(snap.Config.Vigil.Name, snap.Config.Digest, snap.Path, snap.SourceFiles, snap.LoadedAt,
                state.LastFailure, ConfigRenderer.ToYaml(snap.Config), ConfigState.WarningLines(snap.Config)));
        }).RequireRole(Role.Viewer).WithSummary("The config in force (normalized, secrets masked), its digest, and the last rejected reload.");

        group.MapGet("/digest", (ConfigState state) =>
        {
            var snap = state.Current;
            return TypedResults.Ok(new ConfigDigestView(snap.Config.Digest, ConfigDigest.FormatVersion, SectionDigests.GetValue(snap.Config, ConfigDigest.Sections), snap.Path, snap.LoadedAt));
        }).RequireRole(Role.Viewer)
          .WithSummary("The running config's digest and a digest per section and per entry with an id (services/edge-api), to find drift against a file; digests only, never values.");

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
