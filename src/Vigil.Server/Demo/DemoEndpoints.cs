using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.Demo;

/// <summary>Wires the demo fleet into a server: its ticker and its control routes.</summary>
public static class DemoEndpoints
{
    public static void AddDemoFleet(this WebApplicationBuilder builder, DemoFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(fleet);
        builder.Services.AddHostedService<DemoFleetTicker>();
    }

    public static void MapDemoEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/demo/fleet").WithTags("Demo");

        group.MapGet("/", (DemoFleet fleet) => TypedResults.Ok(fleet.Targets.Select(FleetTargetView.From).ToList()))
            .RequireRole(Role.Viewer).WithSummary("The demo fleet's targets and their modes.");

        group.MapPost("/{name}", async Task<IResult> (string name, HttpContext http, DemoFleet fleet, IVigilStore store, CancellationToken ct) =>
        {
            var target = fleet.Find(name);
            if (target is null)
            {
                return Problems.NotFound($"There is no demo target '{name}'; targets are {string.Join(", ", fleet.Targets.Select(t => t.Name))}.");
            }

            var (body, error) = await JsonBody.ReadAsync<FleetCommandRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            if (!Enum.TryParse<DemoMode>(body!.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(body.Mode, out _))
            {
                return Problems.Invalid("mode", $"Mode '{body.Mode}' is not one of: healthy, slow, failing, down.");
            }

            TimeSpan? duration = null;
            if (body.For is { } f)
            {
                if (!Duration.TryParse(f, out var d) || d <= TimeSpan.Zero)
                {
                    return Problems.Invalid("for", $"'{f}' is not a positive duration such as 30s, 5m or 1h.");
                }

                duration = d;
            }

            var before = FleetTargetView.From(target);
            target.Command(mode, duration);
            var after = FleetTargetView.From(target);
            await store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(http.GetPrincipal().Name, "demo.fleet.set", $"demo/{target.Name}", null,
                JsonSerializer.Serialize(before, VigilJson.Options), JsonSerializer.Serialize(after, VigilJson.Options)), c), ct);
            return TypedResults.Ok(after);
        }).RequireRole(Role.Operator).Accepts<FleetCommandRequest>("application/json").Produces<FleetTargetView>()
          .WithSummary("Make a demo target healthy, slow, failing or down, optionally for a while.");
    }
}
