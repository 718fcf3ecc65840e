using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Telemetry;
using Vigil.Server.Auth;
using Vigil.Server.Http;

namespace Vigil.Server.Incidents;

/// <summary>
/// The intake routes: Alertmanager's webhook, Alertmanager's API v2 alerts endpoint (so
/// Prometheus can send here directly) and the PagerDuty-shaped events API. They take intake tokens
/// and responder-or-higher tokens. Every body is checked whole before anything is stored.
/// </summary>
internal static class IntakeEndpoints
{
    public static void MapIntakeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/integrations/alertmanager", async Task<IResult> (HttpContext http, IncidentPolicies policies, IntakeQueue queue, TimeProvider time, CancellationToken ct) =>
        {
            var policy = policies.Current;
            if (!policy.Config.Integrations.Alertmanager.Enabled)
            {
                return Disabled("integrations.alertmanager");
            }

            var (body, error) = await JsonBody.ReadAsync<AlertmanagerWebhook>(http.Request, ct, VigilJson.Intake);
            if (error is not null)
            {
                return error;
            }

            var errors = new IntakeParsing.Errors();
            var (commands, note) = IntakeParsing.FromWebhook(body!, policy, Actor(http), time.GetUtcNow(), errors);
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            if (note is not null && commands.Count > 0)
            {
                commands[0] = commands[0] with { TimelineNote = note };
            }

            var outcomes = await SubmitAsync(queue, commands, ct);
            return outcomes is null ? Unavailable() : TypedResults.Ok(new { status = "success", alerts = commands.Count, incidents = Incidents(outcomes) });
        }).WithTags("Intake").RequireRole(Role.Intake).Counted("alertmanager")
          .WithSummary("Alertmanager webhook receiver (payload version 4). Point an Alertmanager webhook_configs url here with http_config.authorization.");

        app.MapPost("/api/v2/alerts", async Task<IResult> (HttpContext http, IncidentPolicies policies, IntakeQueue queue, TimeProvider time, CancellationToken ct) =>
        {
            var policy = policies.Current;
            if (!policy.Config.Integrations.Alertmanager.Enabled)
            {
                return Disabled("integrations.alertmanager");
            }

            var (body, error) = await JsonBody.ReadAsync<List<AlertmanagerAlert?>>(http.Request, ct, VigilJson.Intake);
            if (error is not null)
            {
                return error;
            }

            var errors = new IntakeParsing.Errors();
            var commands = IntakeParsing.FromApiV2(body!, policy, Actor(http), time.GetUtcNow(), errors);
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var outcomes = await SubmitAsync(queue, commands, ct);
            return outcomes is null ? Unavailable() : TypedResults.Ok();
        }).WithTags("Intake").RequireRole(Role.Intake).Counted("alertmanager_v2")
          .WithSummary("Alertmanager API v2 alerts endpoint: Prometheus can use Vigil as its Alertmanager. Alerts not re-sent resolve after resolve_timeout.");

        app.MapPost("/api/v1/events", async Task<IResult> (HttpContext http, IncidentPolicies policies, IntakeQueue queue, TimeProvider time, CancellationToken ct) =>
        {
            var policy = policies.Current;
            if (!policy.Config.Integrations.Events.Enabled)
            {
                return Disabled("integrations.events");
            }

            var (body, error) = await JsonBody.ReadAsync<EventRequest>(http.Request, ct, VigilJson.Intake);
            if (error is not null)
            {
                return error;
            }

            var errors = new IntakeParsing.Errors();
            var command = IntakeParsing.FromEvent(body!, policy, Actor(http), time.GetUtcNow(), errors, out var dedupKey);
            if (command is null)
            {
                return Problems.Invalid(errors);
            }

            var outcomes = await SubmitAsync(queue, [command], ct);
            return outcomes is null
                ? Unavailable()
                : TypedResults.Accepted((string?)null, new EventResponse("success", "Event processed", dedupKey, outcomes[0].IncidentId));
        }).WithTags("Intake").RequireRole(Role.Intake).Counted("events")
          .WithSummary("Events API shaped like PagerDuty Events v2: trigger, acknowledge or resolve by dedup_key. Answers 202 with the dedup_key.");
    }

    private static async Task<IReadOnlyList<SignalOutcome>?> SubmitAsync(IntakeQueue queue, List<IntakeCommand> commands, CancellationToken ct)
    {
        try
        {
            return await queue.SubmitAsync(commands, ct);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Counts the route's answers in <c>vigil_intake_requests_total</c>: a 2xx is accepted, anything else rejected.</summary>
    private static RouteHandlerBuilder Counted(this RouteHandlerBuilder route, string integration) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            VigilMetrics.Intake(integration, result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 });
            return result;
        });

    private static string Actor(HttpContext http) => http.GetPrincipal().Name;

    private static long[] Incidents(IReadOnlyList<SignalOutcome> outcomes) =>
        outcomes.Where(o => o.IncidentId is not null).Select(o => o.IncidentId!.Value).Distinct().Order().ToArray();

    private static IResult Disabled(string key) =>
        Problems.Status(StatusCodes.Status404NotFound, "Intake disabled", $"This intake is turned off in the config ({key}.enabled: false).");

    private static IResult Unavailable() =>
        Problems.Status(StatusCodes.Status503ServiceUnavailable, "Shutting down", "Vigil is shutting down and did not store this request; send it again.");
}
