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

            var slotsText = target.Slot is null ? $"'{target.Name}' has no slots" : "slots are blue and green";
            foreach (var (field, value) in new[] { ("slot", body!.Slot), ("start", body.Start), ("serve", body.Serve) })
            {
                if (value is not null && (!target.HasSlot(value) || target.Slot is null))
                {
                    return Problems.Invalid(field, $"There is no slot '{value}' on demo target '{target.Name}'; {slotsText}.");
                }
            }

            var actions = new[] { body.Mode, body.Start, body.Serve }.Count(a => a is not null);
            if (actions != 1)
            {
                return Problems.Invalid("mode", actions == 0
                    ? "Say what to do: \"mode\" (healthy, slow, failing or down, optionally with \"for\" and \"slot\"), \"start\": SLOT or \"serve\": SLOT."
                    : "Give one of \"mode\", \"start\" and \"serve\", not several.");
            }

            var mode = DemoMode.Healthy;
            if (body.Mode is not null && (!Enum.TryParse(body.Mode, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(body.Mode, out _)))
            {
                return Problems.Invalid("mode", $"Mode '{body.Mode}' is not one of: healthy, slow, failing, down.");
            }

            TimeSpan? duration = null;
            if (body.For is { } f)
            {
                if (body.Mode is null)
                {
                    return Problems.Invalid("for", "\"for\" goes with \"mode\" (how long the mode lasts).");
                }

                if (!Duration.TryParse(f, out var d) || d <= TimeSpan.Zero)
                {
                    return Problems.Invalid("for", $"'{f}' is not a positive duration such as 30s, 5m or 1h.");
                }

                duration = d;
            }

            if (body.Slot is not null && body.Mode is null)
            {
                return Problems.Invalid("slot", "\"slot\" goes with \"mode\" (which side to set); to bring a slot up say \"start\": SLOT, to switch traffic \"serve\": SLOT.");
            }

            var before = FleetTargetView.From(target);
            var action = "demo.fleet.set";
            if (body.Start is { } start)
            {
                target.StartSlot(start);
                action = "demo.fleet.start";
            }
            else if (body.Serve is { } serve)
            {
                target.Serve(serve);
                action = "demo.fleet.serve";
            }
            else
            {
                target.Command(mode, duration, body.Slot);
            }

            var after = FleetTargetView.From(target);
            await store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(http.GetPrincipal().Name, action, $"demo/{target.Name}", null,
                JsonSerializer.Serialize(before, VigilJson.Options), JsonSerializer.Serialize(after, VigilJson.Options)), c), ct);
            return TypedResults.Ok(after);
        }).RequireRole(Role.Operator).Accepts<FleetCommandRequest>("application/json").Produces<FleetTargetView>()
          .WithSummary("Make a demo target (or one of its slots) healthy, slow, failing or down, optionally for a while; bring a slot up; or switch a target to serve a slot.");
    }
}
