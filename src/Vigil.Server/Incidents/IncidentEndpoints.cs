using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Checks;
using Vigil.Server.Config;
using Vigil.Server.Http;

namespace Vigil.Server.Incidents;

internal static class IncidentEndpoints
{
    /// <summary>The longest public update accepted.</summary>
    public const int MaxPublicUpdate = 2000;

    public static void MapIncidentEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/incidents").WithTags("Incidents");

        group.MapGet("/", async Task<IResult> (bool? open, string? severity, string? service, int? limit, IVigilStore store, CancellationToken ct) =>
        {
            if (!PageLimit.TryResolve(limit, 100, out var size, out var problem))
            {
                return problem!;
            }

            var list = await store.ReadAsync((s, c) => s.Incidents.ListAsync(new IncidentQuery(open == true, severity, service, null, size), c), ct);
            return TypedResults.Ok(list.Select(IncidentView.From).ToList());
        }).RequireRole(Role.Viewer).WithSummary("Incidents, newest first (?open=true, ?severity=P1, ?service=S, ?limit=100).");

        group.MapPost("/", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<OpenIncidentRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            var policy = policies.Current;
            var errors = new IntakeParsing.Errors();
            if (string.IsNullOrWhiteSpace(body!.Title) || body.Title.Length > IntakeParsing.MaxSummary)
            {
                errors.Add("title", $"A title of 1 to {IntakeParsing.MaxSummary} characters is required.");
            }

            if (body.Severity is not null && policy.Levels.All(l => l.Id != body.Severity))
            {
                errors.Add("severity", $"'{body.Severity}' is not a severity; use one of {string.Join(", ", policy.Levels.Select(l => l.Id))}.");
            }

            if (body.Service is not null && !policy.IsService(body.Service))
            {
                errors.Add("service", policy.NotAService(body.Service));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var actor = http.GetPrincipal().Name;
            var detail = await store.WriteAsync(async (s, c) =>
            {
                var incident = await IncidentWriter.OpenByHandAsync(s, policy, body.Title!.Trim(), body.Severity, body.Service, body.Summary, actor, c);
                return await DetailAsync(s, incident.Id, c);
            }, ct);
            return TypedResults.Created($"/api/v1/incidents/{detail!.Incident.Id}", detail);
        }).RequireRole(Role.Responder).Accepts<OpenIncidentRequest>("application/json").Produces<IncidentDetailView>(StatusCodes.Status201Created)
          .WithSummary("Open an incident by hand (title, severity, service).");

        group.MapGet("/{id:long}", async Task<IResult> (long id, IVigilStore store, Runbooks.RunbookRuntime runbooks, CancellationToken ct) =>
            await GetAsync(id, store, runbooks, ct) is { } detail ? TypedResults.Ok(detail) : NotFound(id))
            .RequireRole(Role.Viewer).WithSummary("One incident with its signals, timeline, checklist, action items, runbook runs and the service's runbooks.");

        group.MapGet("/{id:long}/events", async Task (long id, int? after, HttpContext http, IVigilStore store, CancellationToken ct) =>
        {
            // Resume where the client was: ?after=N (entries already shown) or, on reconnect, EventSource's Last-Event-ID.
            var sent = int.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : Math.Max(0, after ?? 0);
            var started = false;
            try
            {
                while (true)
                {
                    // Taken before the read, so a commit between the read and the wait is not missed.
                    var next = store.NextCommitAsync(ct);
                    var (incident, timeline) = await store.ReadAsync(async (s, c) => (await s.Incidents.GetAsync(id, c), await s.Incidents.ListTimelineAsync(id, c)), ct);
                    if (incident is null)
                    {
                        if (!started)
                        {
                            await NotFound(id).ExecuteAsync(http);
                        }

                        return;
                    }

                    if (!started)
                    {
                        http.Response.ContentType = "text/event-stream";
                        http.Response.Headers.CacheControl = "no-cache";
                        started = true;
                    }

                    for (; sent < timeline.Count; sent++)
                    {
                        var t = timeline[sent];
                        await http.Response.WriteAsync(
                            $"id: {(sent + 1).ToString(CultureInfo.InvariantCulture)}\nevent: timeline\ndata: {System.Text.Json.JsonSerializer.Serialize(new TimelineEntryView(t.At, t.Kind, t.Actor, t.Text), VigilJson.Options)}\n\n", ct);
                    }

                    await http.Response.Body.FlushAsync(ct);
                    await next;
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        }).RequireRole(Role.Viewer)
          .WithSummary("Server-sent events: the incident's timeline entries as they are written (event 'timeline'); ?after=N skips the first N (the console's live timeline).");

        foreach (var (path, action) in new[] { ("ack", LifecycleAction.Acknowledge), ("mitigate", LifecycleAction.Mitigate), ("resolve", LifecycleAction.Resolve), ("close", LifecycleAction.Close) })
        {
            group.MapPost("/{id:long}/" + path, async Task<IResult> (long id, HttpContext http, IVigilStore store, IncidentPolicies policies, CheckRegistry checks, CancellationToken ct) =>
            {
                var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new IncidentActionRequest(null), ct);
                return error ?? await TransitionAsync(id, action, body!, http.GetPrincipal().Name, store, policies, checks, ct);
            }).RequireRole(Role.Responder).Accepts<IncidentActionRequest>("application/json").Produces<IncidentDetailView>()
              .WithSummary($"{action} the incident; 409 with the reason when its status does not allow it.");
        }

        group.MapPost("/{id:long}/notes", async Task<IResult> (long id, HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<NoteRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            return await NoteAsync(id, body!, http.GetPrincipal().Name, store, policies, ct);
        }).RequireRole(Role.Responder).Accepts<NoteRequest>("application/json").Produces<IncidentDetailView>().WithSummary("Add a note to the timeline.");

        group.MapPost("/{id:long}/public-updates", async Task<IResult> (long id, HttpContext http, IVigilStore store, IncidentPolicies policies, ConfigState config, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<PublicUpdateRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.Text) || body.Text.Trim().Length > MaxPublicUpdate)
            {
                return Problems.Invalid("text", $"A public update of 1 to {MaxPublicUpdate} characters is required.");
            }

            var cfg = config.Current.Config;
            var shown = cfg.StatusPage.ShownServices(cfg);
            return await MutateAsync(id, http.GetPrincipal().Name, store, policies, async (s, _, incident, actor, c) =>
            {
                // Refused rather than recorded where nobody will ever read it: only incidents on listed services reach the page.
                if (incident.Service is not { } service || shown.All(x => x.Id != service))
                {
                    return Refused.Conflict(incident.Service is null
                        ? $"incident #{incident.Id} has no service, so it is not on the status page; public updates show only for incidents on public services"
                        : $"incident #{incident.Id} is on service '{incident.Service}', which is not on the status page; mark the service `public: true` "
                            + "(and list it in status_page.services if that list is set) to publish updates for it");
                }

                s.Raise(CommitTopics.PublicStatus);
                await IncidentWriter.RecordAsync(s, incident, TimelineKinds.PublicUpdate, actor, body.Text.Trim(), "incident.public_update", s.Now, null, null, c);
                return null;
            }, ct);
        }).RequireRole(Role.Responder).Accepts<PublicUpdateRequest>("application/json").Produces<IncidentDetailView>()
          .WithSummary("Post a public update: shown on the status page, its JSON and feed (409 when the incident's service is not on the page).");

        group.MapPost("/{id:long}/assign", async Task<IResult> (long id, HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AssignRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            return await AssignAsync(id, body!, http.GetPrincipal().Name, store, policies, ct);
        }).RequireRole(Role.Responder).Accepts<AssignRequest>("application/json").Produces<IncidentDetailView>()
          .WithSummary("Set (or clear) the commander, scribe or assignee.");

        group.MapPost("/{id:long}/checklist/{number:int}", async Task<IResult> (long id, int number, HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new ChecklistTickRequest(true), ct);
            return error ?? await TickAsync(id, number, body!, http.GetPrincipal().Name, store, policies, ct);
        }).RequireRole(Role.Responder).Accepts<ChecklistTickRequest>("application/json").Produces<IncidentDetailView>()
          .WithSummary("Tick (or with done=false untick) a checklist item; recorded on the timeline.");

        group.MapGet("/{id:long}/pir", async Task<IResult> (long id, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
        {
            var policy = policies.Current;
            var text = await store.ReadAsync((s, c) => RenderPirAsync(s, policy, id, time.GetUtcNow(), c), ct);
            return text is null ? NotFound(id) : TypedResults.Text(text, "text/markdown", Encoding.UTF8);
        }).RequireRole(Role.Viewer).WithSummary("Preview the post-incident review as Markdown (does not count as written).");

        group.MapPost("/{id:long}/pir", async Task<IResult> (long id, HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var policy = policies.Current;
            var actor = http.GetPrincipal().Name;
            var written = await store.TryWriteAsync<string>(async (s, c) =>
            {
                if (await s.Incidents.GetAsync(id, c) is not { } incident)
                {
                    return Refused.NotFound(NotFoundText(id));
                }

                var next = incident with { PirAt = s.Now };
                await s.Incidents.UpdateAsync(next, c);
                await IncidentWriter.RecordAsync(s, next, TimelineKinds.Pir, actor, $"Post-incident review written by {actor}", "incident.pir", s.Now, null, null, c);
                return (await RenderPirAsync(s, policy, id, s.Now, c))!;
            }, ct);
            return written.ToResult(text => TypedResults.Text(text, "text/markdown", Encoding.UTF8));
        }).RequireRole(Role.Responder).WithSummary("Write the post-incident review: returns the Markdown and records it on the timeline (closing may require it).");

        group.MapPost("/{id:long}/actions", async Task<IResult> (long id, HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ActionItemRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            return await AddActionAsync(id, body!, http.GetPrincipal().Name, store, policies, ct);
        }).RequireRole(Role.Responder).Accepts<ActionItemRequest>("application/json").Produces<IncidentDetailView>()
          .WithSummary("Add a post-incident action item (text, owner).");

        group.MapPost("/{id:long}/actions/{actionId:long}/done", async Task<IResult> (long id, long actionId, HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
            await ActionDoneAsync(id, actionId, http.GetPrincipal().Name, store, policies, ct)).RequireRole(Role.Responder).Produces<IncidentDetailView>().WithSummary("Mark an action item done.");

        api.MapGet("/actions", async Task<IResult> (bool? open, IVigilStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ReadAsync((s, c) => s.Incidents.ListActionsAsync(null, open ?? true, c), ct)).Select(ActionItemView.From).ToList()))
            .WithTags("Incidents").RequireRole(Role.Viewer).WithSummary("Action items of all incidents (?open=false for done ones too).");

        api.MapGet("/reports/incidents", async Task<IResult> (string? since, string? service, IVigilStore store, IncidentPolicies policies, Slos.SloEngine slos, ConfigState config,
            TimeProvider time, CancellationToken ct) =>
        {
            var window = TimeSpan.FromDays(30);
            if (since is not null && (!Duration.TryParse(since, out window) || window <= TimeSpan.Zero || window > TimeSpan.FromDays(3660)))
            {
                return Problems.Invalid("since", $"'{since}' is not a positive duration such as 7d, 30d or 90d.");
            }

            var now = time.GetUtcNow();
            var from = now - window;
            var policy = policies.Current;
            var (incidents, noisy) = await store.ReadAsync(async (s, c) =>
                (await s.Incidents.ListAsync(new IncidentQuery(Service: service, Since: from, Limit: 100_000), c), await s.Incidents.TopSignalsAsync(from, service, 10, c)), ct);
            var objectives = await Slos.SloEndpoints.CurrentAsync(slos, config, ct);
            return TypedResults.Ok(IncidentReport.Build(incidents, policy.Levels, noisy, from, now, service) with { Slos = Core.Slos.SloAttainment.Of(objectives.Slos, service) });
        }).WithTags("Incidents").RequireRole(Role.Viewer).WithSummary("Incident report (?since=30d, ?service=S): counts by severity, MTTA, MTTR, ack-target breaches, noisiest signals, and each SLO's attainment over its window.");
    }

    /// <summary>The open incidents and action items for <c>vigil status</c>.</summary>
    public static async Task<IncidentSummaryView> SummaryAsync(IVigilStore store, CancellationToken ct)
    {
        var (open, actions) = await store.ReadAsync(async (s, c) =>
            (await s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Limit: 1000), c), await s.Incidents.ListActionsAsync(null, true, c)), ct);
        return new IncidentSummaryView(open.GroupBy(i => i.Severity).ToDictionary(g => g.Key, g => g.Count()),
            open.Select(IncidentView.From).ToList(), actions.Select(ActionItemView.From).ToList());
    }

    /// <summary>Acknowledge, mitigate, resolve or close: the one code path of the API route and the console.</summary>
    internal static Task<IResult> TransitionAsync(long id, LifecycleAction action, IncidentActionRequest body, string actor, IVigilStore store, IncidentPolicies policies,
        CheckRegistry checks, CancellationToken ct) =>
        MutateAsync(id, actor, store, policies, async (s, policy, incident, by, c) =>
        {
            var reason = body.Reason;
            var firing = action == LifecycleAction.Resolve && incident.IsOpen
                ? (await s.Incidents.ListSignalsAsync(incident.Id, c)).Where(g => g.Status == SignalStatus.Firing).ToList()
                : [];
            if (firing.Count > 0 && !body.Force)
            {
                return Refused.Conflict($"incident #{incident.Id} still has {firing.Count} firing signal{(firing.Count == 1 ? "" : "s")} "
                    + $"({string.Join(", ", firing.Take(3).Select(g => g.DedupKey))}{(firing.Count > 3 ? ", …" : "")}): the problem looks live. "
                    + "Resolve with --force (API: \"force\": true) to resolve anyway; a check still failing re-triggers it on its next failing result");
            }

            if (firing.Count > 0)
            {
                reason = $"forced with {firing.Count} signal{(firing.Count == 1 ? "" : "s")} still firing" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason);
            }

            var refusal = (await IncidentWriter.TransitionAsync(s, policy, incident, action, by, reason, c)).Refusal;
            if (refusal is null)
            {
                // If this commit fails, a re-armed check only re-sends a signal the open incident already holds.
                foreach (var signal in firing)
                {
                    if (signal.Source == SignalSource.Check)
                    {
                        checks.Rearm(signal.DedupKey);
                    }
                }
            }

            return refusal is null ? null : Refused.Conflict(refusal);
        }, ct);

    /// <summary>Sets or clears the commander, scribe or assignee: the one code path of the API route and the console.</summary>
    internal static Task<IResult> AssignAsync(long id, AssignRequest body, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct)
    {
        if (!IncidentNames.TryParseRole(body.Role, out var role))
        {
            return Task.FromResult<IResult>(Problems.Invalid("role", $"'{body.Role ?? "(missing)"}' is not an incident role; use {string.Join(", ", IncidentNames.RoleNames)}."));
        }

        var to = string.IsNullOrWhiteSpace(body.To) ? null : body.To.Trim();
        if (to is { Length: > 200 })
        {
            return Task.FromResult<IResult>(Problems.Invalid("to", "must be at most 200 characters"));
        }

        return MutateAsync(id, actor, store, policies, async (s, policy, incident, by, c) =>
        {
            var name = to is not null && policy.Config.FindPerson(to) is { } person ? $"{person.Name} ({person.Id})" : to;
            var next = role switch
            {
                IncidentRole.Commander => incident with { Commander = name },
                IncidentRole.Scribe => incident with { Scribe = name },
                _ => incident with { Assignee = name },
            };
            await s.Incidents.UpdateAsync(next, c);
            await IncidentWriter.RecordAsync(s, next, TimelineKinds.Assigned, by,
                name is null ? $"{role.ToName()} cleared by {by}" : $"{name} is {role.ToName()} (set by {by})",
                "incident.assign", s.Now, IncidentWriter.Json(incident), IncidentWriter.Json(next), c);
            return null;
        }, ct);
    }

    /// <summary>Ticks or unticks a checklist item: the one code path of the API route and the console.</summary>
    internal static Task<IResult> TickAsync(long id, int number, ChecklistTickRequest body, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        MutateAsync(id, actor, store, policies, async (s, _, incident, by, c) =>
        {
            var items = await s.Incidents.ListChecklistAsync(id, c);
            var item = items.FirstOrDefault(i => i.Number == number);
            if (item is null)
            {
                return Refused.NotFound(items.Count == 0
                    ? $"Incident #{id} has no checklist (its severity {incident.Severity} names none)."
                    : $"Incident #{id} has checklist items 1 to {items.Count}; there is no item {number}.");
            }

            var done = body.Done ?? true;
            var next = item with { DoneAt = done ? s.Now : null, DoneBy = done ? by : null };
            await s.Incidents.UpdateChecklistItemAsync(next, c);
            await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Checklist, by,
                $"{(done ? "Ticked" : "Unticked")} checklist item {number}: {item.Text}", "incident.checklist", s.Now, null, null, c);
            return null;
        }, ct);

    /// <summary>Adds an action item: the one code path of the API route and the console.</summary>
    internal static Task<IResult> AddActionAsync(long id, ActionItemRequest body, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 2000)
        {
            return Task.FromResult<IResult>(Problems.Invalid("text", "An action item of 1 to 2000 characters is required."));
        }

        return MutateAsync(id, actor, store, policies, async (s, _, incident, by, c) =>
        {
            var item = await s.Incidents.AddActionAsync(id, body.Text.Trim(), string.IsNullOrWhiteSpace(body.Owner) ? null : body.Owner.Trim(), by, s.Now, c);
            await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Action, by, $"Action item #{item.Id} added: {item.Text}", "incident.action_add", s.Now, null,
                System.Text.Json.JsonSerializer.Serialize(new { id = item.Id, text = item.Text, owner = item.Owner }), c);
            return null;
        }, ct);
    }

    /// <summary>Marks an action item done: the one code path of the API route and the console.</summary>
    internal static Task<IResult> ActionDoneAsync(long id, long actionId, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        MutateAsync(id, actor, store, policies, async (s, _, incident, by, c) =>
        {
            var item = await s.Incidents.GetActionAsync(actionId, c);
            if (item is null || item.IncidentId != id)
            {
                return Refused.NotFound($"Incident #{id} has no action item #{actionId}; see 'vigil incident show {id}'.");
            }

            if (item.DoneAt is not null)
            {
                return Refused.Conflict($"Action item #{actionId} is already done.");
            }

            await s.Incidents.UpdateActionAsync(item with { DoneAt = s.Now, DoneBy = by }, c);
            await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Action, by, $"Action item #{item.Id} done: {item.Text}", "incident.action_done", s.Now, null, null, c);
            return null;
        }, ct);

    /// <summary>Adds a note: the one code path of the API route and the console.</summary>
    internal static Task<IResult> NoteAsync(long id, NoteRequest body, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 10_000)
        {
            return Task.FromResult<IResult>(Problems.Invalid("text", "A note of 1 to 10000 characters is required."));
        }

        return MutateAsync(id, actor, store, policies, async (s, _, incident, a, c) =>
        {
            await IncidentWriter.RecordAsync(s, incident, TimelineKinds.Note, a, body.Text.Trim(), "incident.note", s.Now, null, null, c);
            return null;
        }, ct);
    }

    /// <summary>One incident with everything attached and its service's runbooks (GET /incidents/{id} and the console).</summary>
    internal static async Task<IncidentDetailView?> GetAsync(long id, IVigilStore store, Runbooks.RunbookRuntime runbooks, CancellationToken ct)
    {
        var detail = await store.ReadAsync((s, c) => DetailAsync(s, id, c), ct);
        return detail is null ? null : detail with
        {
            Runbooks = detail.Incident.Service is { } service
                ? runbooks.Catalog().ForService(service).Select(e => RunbookSummaryView.From(e, null)).ToList()
                : [],
        };
    }

    private delegate Task<Refused?> Mutation(IStoreSession session, IncidentPolicy policy, Incident incident, string actor, CancellationToken ct);

    /// <summary>
    /// Runs a change to one incident in a write transaction and answers with the incident as it is
    /// after. A refusal rolls the transaction back and becomes the 404 or 409 it describes.
    /// </summary>
    private static async Task<IResult> MutateAsync(long id, string actor, IVigilStore store, IncidentPolicies policies, Mutation work, CancellationToken ct)
    {
        var policy = policies.Current;
        var changed = await store.TryWriteAsync<IncidentDetailView?>(async (s, c) =>
        {
            if (await s.Incidents.GetAsync(id, c) is not { } incident)
            {
                return Refused.NotFound(NotFoundText(id));
            }

            if (await work(s, policy, incident, actor, c) is { } refused)
            {
                return refused;
            }

            return await DetailAsync(s, id, c);
        }, ct);
        return changed.ToResult(detail => TypedResults.Ok(detail));
    }

    private static async Task<IncidentDetailView?> DetailAsync(IStoreSession s, long id, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(id, ct);
        if (incident is null)
        {
            return null;
        }

        return new IncidentDetailView(IncidentView.From(incident),
            (await s.Incidents.ListSignalsAsync(id, ct)).Select(IncidentSignalView.From).ToList(),
            (await s.Incidents.ListTimelineAsync(id, ct)).Select(t => new TimelineEntryView(t.At, t.Kind, t.Actor, t.Text)).ToList(),
            (await s.Incidents.ListChecklistAsync(id, ct)).Select(c => new ChecklistItemView(c.Number, c.Text, c.DoneAt, c.DoneBy)).ToList(),
            (await s.Incidents.ListActionsAsync(id, false, ct)).Select(ActionItemView.From).ToList(),
            (await s.Paging.ListNotificationsAsync(id, false, 1000, ct)).Select(n => NotificationView.From(n)).ToList(),
            (await s.Runbooks.ListForIncidentAsync(id, ct)).Select(r => RunView.From(r)).ToList());
    }

    private static async Task<string?> RenderPirAsync(IStoreSession s, IncidentPolicy policy, long id, DateTimeOffset now, CancellationToken ct)
    {
        var incident = await s.Incidents.GetAsync(id, ct);
        if (incident is null)
        {
            return null;
        }

        return PirRenderer.Render(policy.PirTemplate, new PirInput(incident, policy.Level(incident.Severity),
            await s.Incidents.ListTimelineAsync(id, ct), await s.Incidents.ListSignalsAsync(id, ct),
            await s.Incidents.ListActionsAsync(id, false, ct), await s.Incidents.ListChecklistAsync(id, ct), now, await s.Runbooks.ListForIncidentAsync(id, ct),
            await JournalDuringAsync(s, incident, now, ct)));
    }

    /// <summary>
    /// The ops journal entries written during the incident (opened to resolved, or to now while open) about its service
    /// (any service when the incident has none), at most 1000.
    /// </summary>
    internal static Task<IReadOnlyList<Vigil.Core.Journal.JournalEntry>> JournalDuringAsync(IStoreSession s, Incident incident, DateTimeOffset now, CancellationToken ct) =>
        s.Journal.ListAsync(new Vigil.Core.Journal.JournalQuery(incident.OpenedAt, incident.ResolvedAt ?? now, incident.Service, null, Vigil.Core.Journal.JournalRules.MaxLimit), ct);

    private static string NotFoundText(long id) =>
        $"No incident #{id.ToString(CultureInfo.InvariantCulture)}; see 'vigil incident list'.";

    private static IResult NotFound(long id) => Problems.NotFound(NotFoundText(id));

}
