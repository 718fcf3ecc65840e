using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.OnCall;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Http;
using Vigil.Server.Incidents;
using Vigil.Server.Status;

namespace Vigil.Server.Escalation;

/// <summary>The delivery ledger, who is on call, and on-call overrides.</summary>
internal static class PagingEndpoints
{
    public static void MapPagingEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/notifications", async Task<IResult> (bool? failed, long? incident, int? limit, IVigilStore store, CancellationToken ct) =>
        {
            if (!PageLimit.TryResolve(limit, 100, out var size, out var problem))
            {
                return problem!;
            }

            var list = await store.ReadAsync(async (s, c) =>
            {
                var rows = await s.Paging.ListNotificationsAsync(incident, failed == true, size, c);
                var views = new List<NotificationView>(rows.Count);
                foreach (var n in rows)
                {
                    views.Add(NotificationView.From(n, await s.Paging.ListAttemptsAsync(n.Id, c)));
                }

                return views;
            }, ct);
            return TypedResults.Ok(list);
        }).WithTags("Paging").RequireRole(Role.Viewer)
          .WithSummary("The delivery ledger, newest first, with every attempt (?failed=true for failed or retrying ones, ?incident=ID, ?limit=100).");

        api.MapGet("/oncall", async Task<IResult> (string? schedule, DateTimeOffset? at, string? next, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
        {
            var config = policies.Current.Config;
            if (schedule is not null && config.FindSchedule(schedule) is null)
            {
                return Problems.NotFound($"No schedule '{schedule}'. Schedules: {string.Join(", ", config.Schedules.Select(s => s.Id))}.");
            }

            var window = TimeSpan.Zero;
            if (next is not null && (!Duration.TryParse(next, out window) || window <= TimeSpan.Zero || window > TimeSpan.FromDays(90)))
            {
                return Problems.Invalid("next", $"'{next}' is not a duration between 1s and 90d, such as 7d.");
            }

            var when = at ?? time.GetUtcNow();
            if ((when - time.GetUtcNow()).Duration() > TimeSpan.FromDays(3660))
            {
                return Problems.Invalid("at", "Give a time within ten years of now.");
            }

            var overrides = await store.ReadAsync((s, c) => s.Paging.ListOverridesAsync(when - TimeSpan.FromDays(366), c), ct);
            var schedules = config.Schedules.Where(s => schedule is null || s.Id == schedule).ToList();
            if (next is not null)
            {
                return TypedResults.Ok(schedules.SelectMany(s => ScheduleResolver.Shifts(s, overrides, when, when + window)
                    .Select(x => new ShiftView(s.Id, x.PersonId, QuietAndOnCall.PersonName(config, x.PersonId), x.Source?.ToString(), x.Start, x.End))).ToList());
            }

            return TypedResults.Ok(schedules.Select(s => QuietAndOnCall.OnCallOn(config, s, overrides, when)).ToList());
        }).WithTags("Paging").RequireRole(Role.Viewer)
          .WithSummary("Who is on call (?schedule=S, ?at=TIME), or the shifts of the coming period (?next=7d).");

        api.MapGet("/overrides", async (IVigilStore store, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok((await store.ReadAsync((s, c) => s.Paging.ListOverridesAsync(time.GetUtcNow(), c), ct)).Select(OverrideView.Of).ToList()))
            .WithTags("Paging").RequireRole(Role.Viewer).WithSummary("On-call overrides in force or coming up.");

        api.MapPost("/overrides", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<OverrideRequest>(http.Request, ct);
            return error ?? await AddOverrideAsync(body!, http.GetPrincipal().Name, store, policies, time, ct);
        }).WithTags("Paging").RequireRole(Role.Responder).Accepts<OverrideRequest>("application/json").Produces<OverrideView>(StatusCodes.Status201Created)
          .WithSummary("Put someone on call for a schedule for a period (schedule, person, from, to, reason).");

        api.MapDelete("/overrides/{id:long}", async Task<IResult> (long id, HttpContext http, IVigilStore store, CancellationToken ct) =>
        {
            return await RemoveOverrideAsync(id, http.GetPrincipal().Name, store, ct);
        }).WithTags("Paging").RequireRole(Role.Responder).WithSummary("Remove an on-call override.");
    }

    internal static async Task<IResult> AddOverrideAsync(OverrideRequest body, string actor, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct)
    {
        var config = policies.Current.Config;
        var errors = new IntakeParsing.Errors();
        if (body!.Schedule is null || config.FindSchedule(body.Schedule) is null)
        {
            errors.Add("schedule", $"'{body.Schedule ?? "(missing)"}' is not a schedule; schedules: {string.Join(", ", config.Schedules.Select(s => s.Id))}.");
        }

        if (body.Person is null || config.FindPerson(body.Person) is null)
        {
            errors.Add("person", $"'{body.Person ?? "(missing)"}' is not a person in the config; people: {string.Join(", ", config.People.Select(p => p.Id))}.");
        }

        if (body.From is null || body.To is null || body.To <= body.From)
        {
            errors.Add("to", "Give 'from' and 'to' (ISO 8601 with an offset), with 'to' after 'from'.");
        }
        else if (body.To <= time.GetUtcNow())
        {
            errors.Add("to", "The override would already be over.");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var created = await store.WriteAsync(async (s, c) =>
        {
            var o = await s.Paging.AddOverrideAsync(body.Schedule!, body.Person!, body.From!.Value, body.To!.Value, body.Reason, actor, s.Now, c);
            await s.Audit.AppendAsync(new AuditDraft(actor, "override.add", "override/" + o.Id.ToString(CultureInfo.InvariantCulture), body.Reason, null,
                JsonSerializer.Serialize(new { schedule = o.ScheduleId, person = o.PersonId, from = o.From, to = o.To })), c);
            return o;
        }, ct);
        return TypedResults.Created("/api/v1/overrides", OverrideView.Of(created));
    }

    internal static async Task<IResult> RemoveOverrideAsync(long id, string actor, IVigilStore store, CancellationToken ct)
    {
        var removed = await store.TryWriteAsync<bool>(async (s, c) =>
        {
            if (!await s.Paging.RemoveOverrideAsync(id, actor, s.Now, c))
            {
                return Refused.NotFound($"No active override #{id}; see 'vigil override list'.");
            }

            await s.Audit.AppendAsync(new AuditDraft(actor, "override.remove", "override/" + id.ToString(CultureInfo.InvariantCulture)), c);
            return true;
        }, ct);
        return removed.ToResult(_ => TypedResults.NoContent());
    }
}
