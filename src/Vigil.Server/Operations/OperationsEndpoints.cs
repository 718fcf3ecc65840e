using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Audit;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.Operations;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Http;
using Vigil.Server.Incidents;

using Vigil.Server.Slos;

namespace Vigil.Server.Operations;

/// <summary>Freezes, ad-hoc maintenance windows and the deploy gate.</summary>
internal static class OperationsEndpoints
{
    public static void MapOperationsEndpoints(this IEndpointRouteBuilder api)
    {
        MapSilenceEndpoints(api);

        api.MapGet("/freezes", async (IVigilStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ReadAsync((s, c) => s.Operations.ListActiveFreezesAsync(c), ct)).Select(FreezeView.From).ToList()))
            .WithTags("Operations").RequireRole(Role.Viewer).WithSummary("Active change freezes.");

        api.MapPost("/freezes", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<FreezeRequest>(http.Request, ct);
            return error ?? await AddFreezeAsync(body!, http.GetPrincipal().Name, store, policies, ct);
        }).WithTags("Operations").RequireRole(Role.Operator).Accepts<FreezeRequest>("application/json").Produces<FreezeView>(StatusCodes.Status201Created)
          .WithSummary("Freeze changes everywhere (no service) or on one service. Runbooks refuse mutating steps and the gate refuses deploys.");

        api.MapPost("/freezes/lift", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new FreezeRequest(null, null), ct);
            return error ?? await LiftFreezeAsync(body!, http.GetPrincipal().Name, store, ct);
        }).WithTags("Operations").RequireRole(Role.Operator).Accepts<FreezeRequest>("application/json")
          .WithSummary("Lift the freeze on a service (or the global freeze, without service); answers the lifted freezes.");

        api.MapGet("/windows", async (IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok(await ListWindowsAsync(store, policies, time, ct)))
            .WithTags("Operations").RequireRole(Role.Viewer).WithSummary("Maintenance windows active now or upcoming: ad hoc, and the config's (current or next occurrence).");

        api.MapPost("/windows", async Task<IResult> (HttpContext http, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<WindowRequest>(http.Request, ct);
            return error ?? await CreateWindowAsync(body!, http.GetPrincipal().Name, store, policies, time, ct);
        }).WithTags("Operations").RequireRole(Role.Operator).Accepts<WindowRequest>("application/json").Produces<WindowView>(StatusCodes.Status201Created)
          .WithSummary("Create an ad-hoc maintenance window (services, duration, reason; start defaults to now).");

        api.MapDelete("/windows/{id:long}", async Task<IResult> (long id, string? reason, HttpContext http, IVigilStore store, CancellationToken ct) =>
        {
            return await CancelWindowAsync(id, reason, http.GetPrincipal().Name, store, ct);
        }).WithTags("Operations").RequireRole(Role.Operator).WithSummary("Cancel an ad-hoc maintenance window (?reason=).");

        api.MapGet("/gate", async Task<IResult> (string? service, IVigilStore store, IncidentPolicies policies, SloEngine slos, TimeProvider time, CancellationToken ct) =>
        {
            var policy = policies.Current;
            if (string.IsNullOrWhiteSpace(service))
            {
                return Problems.Invalid("service", "Name the service being deployed (?service=S).");
            }

            if (!policy.IsService(service))
            {
                return Problems.NotFound($"No service '{service}'. Services: {string.Join(", ", policy.Config.Services.Select(s => s.Id))}.");
            }

            var now = time.GetUtcNow();
            var (freezes, open, adHoc) = await store.ReadAsync(async (s, c) => (await s.Operations.ListActiveFreezesAsync(c),
                await s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Limit: 10_000), c), await s.Operations.ListWindowsAsync(now, c)), ct);
            var windows = MaintenanceWindows.Active(policy.Config.Maintenance, adHoc, now);
            // Before the objectives loop's first turn has finished, evaluate now rather than pass on no data.
            var objectives = slos.Snapshot.At == DateTimeOffset.MinValue ? await slos.EvaluateNowAsync(ct) : slos.Snapshot;
            var reasons = DeployGate.Evaluate(DeployGate.DefaultRules, new GateContext(service, policy.Config, policy, freezes, open, windows, now) { Slos = objectives.Slos });
            return TypedResults.Ok(new GateView(service, reasons.Count == 0, reasons.Select(r => new GateReasonView(r.Code, r.Message)).ToList(), now));
        }).WithTags("Operations").RequireRole(Role.Viewer).WithSummary("May a deploy of ?service=S proceed? Every reason it may not: frozen, open incident, blocking window, an SLO with no error budget left.");
    }

    private static void MapSilenceEndpoints(IEndpointRouteBuilder api)
    {
        api.MapGet("/silences", async (IVigilStore store, TimeProvider time, CancellationToken ct) =>
            TypedResults.Ok((await store.ReadAsync((s, c) => s.Operations.ListSilencesAsync(time.GetUtcNow(), c), ct)).Select(SilenceView.From).ToList()))
            .WithTags("Operations").RequireRole(Role.Viewer).WithSummary("Silences in force.");

        api.MapPost("/silences", async Task<IResult> (HttpContext http, IVigilStore store, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<SilenceRequest>(http.Request, ct);
            return error ?? await AddSilenceAsync(body!, http.GetPrincipal().Name, store, time, ct);
        }).WithTags("Operations").RequireRole(Role.Responder).Accepts<SilenceRequest>("application/json").Produces<SilenceView>(StatusCodes.Status201Created)
          .WithSummary("Silence signals matching every matcher for a duration: their incidents are recorded but do not page.");

        api.MapPost("/silences/{id:long}/expire", async Task<IResult> (long id, HttpContext http, IVigilStore store, CancellationToken ct) =>
        {
            return await ExpireSilenceAsync(id, http.GetPrincipal().Name, store, ct);
        }).WithTags("Operations").RequireRole(Role.Responder).WithSummary("Expire a silence now; escalations it held page at once.");
    }

    internal static async Task<IResult> AddFreezeAsync(FreezeRequest body, string actor, IVigilStore store, IncidentPolicies policies, CancellationToken ct)
    {
        if (ValidateService(body!.Service, policies) is { } bad)
        {
            return bad;
        }

        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 1000)
        {
            return Problems.Invalid("reason", "Say why (1 to 1000 characters): the reason is shown to everyone the freeze stops.");
        }

        var freeze = await store.WriteAsync(async (s, c) =>
        {
            var f = await s.Operations.AddFreezeAsync(body.Service, body.Reason.Trim(), actor, s.Now, c);
            await s.Audit.AppendAsync(new AuditDraft(actor, "freeze.add", Target(body.Service), f.Reason, null,
                JsonSerializer.Serialize(new { id = f.Id, service = f.Service })), c);
            return f;
        }, ct);
        return TypedResults.Created($"/api/v1/freezes", FreezeView.From(freeze));
    }

    internal static async Task<IResult> LiftFreezeAsync(FreezeRequest body, string actor, IVigilStore store, CancellationToken ct)
    {
        var lifted = await store.ReadAsync((s, c) => s.Operations.ListActiveFreezesAsync(c), ct);
        var matching = lifted.Where(f => f.Service == body!.Service).ToList();
        if (matching.Count == 0)
        {
            return Problems.Conflict(body!.Service is null
                ? "There is no global freeze to lift" + (lifted.Count == 0 ? "." : $"; service freezes: {string.Join(", ", lifted.Select(f => f.Service))} (lift them with --service).")
                : $"Service {body.Service} is not frozen on its own" + (lifted.Any(f => f.Service is null) ? "; a global freeze is in force (lift it without --service)." : "."));
        }

        var lift = await store.TryWriteAsync<bool>(async (s, c) =>
        {
            foreach (var f in matching)
            {
                if (!await s.Operations.LiftFreezeAsync(f.Id, actor, s.Now, c))
                {
                    // Rolls back the freezes this request lifted before it, so it lifts all or none.
                    return Refused.Conflict($"Freeze #{f.Id} was lifted meanwhile by someone else; see 'vigil status'.");
                }


                await s.Audit.AppendAsync(new AuditDraft(actor, "freeze.lift", Target(f.Service), body!.Reason,
                    JsonSerializer.Serialize(new { id = f.Id, service = f.Service, reason = f.Reason }), null), c);
            }

            return true;
        }, ct);
        return lift.ToResult(_ => TypedResults.Ok(matching.Select(FreezeView.From).ToList()));
    }

    internal static async Task<List<WindowView>> ListWindowsAsync(IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var adHoc = await store.ReadAsync((s, c) => s.Operations.ListWindowsAsync(now, c), ct);
        var config = policies.Current.Config.Maintenance;
        var list = adHoc.Select(w => new WindowView("#" + w.Id.ToString(CultureInfo.InvariantCulture), w.Services, w.StartsAt, w.EndsAt, w.Reason, w.BlocksDeploys,
            w.StartsAt <= now, w.CreatedBy)).ToList();
        foreach (var w in config)
        {
            var occurrence = MaintenanceWindows.FromConfig(w, now) ?? MaintenanceWindows.Next(w, now);
            if (occurrence is not null)
            {
                list.Add(new WindowView(occurrence.Id, occurrence.Services, occurrence.StartsAt, occurrence.EndsAt, occurrence.Reason, occurrence.BlocksDeploys,
                    occurrence.StartsAt <= now, null));
            }
        }

        return list.OrderBy(w => w.StartsAt).ToList();
    }

    internal static async Task<IResult> CreateWindowAsync(WindowRequest body, string actor, IVigilStore store, IncidentPolicies policies, TimeProvider time, CancellationToken ct)
    {
        var policy = policies.Current;
        var errors = new IntakeParsing.Errors();
        var services = body!.Services ?? [];
        if (services.Count == 0)
        {
            errors.Add("services", "Name the services the window covers, or * for all.");
        }

        foreach (var s in services.Where(s => s != "*" && !policy.IsService(s)))
        {
            errors.Add("services", policy.NotAService(s));
        }

        var duration = TimeSpan.Zero;
        if (body.Duration is null || !Duration.TryParse(body.Duration, out duration) || duration <= TimeSpan.Zero || duration > TimeSpan.FromDays(30))
        {
            errors.Add("duration", $"'{body.Duration ?? "(missing)"}' is not a duration between 1s and 30d, such as 30m or 2h.");
        }

        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 1000)
        {
            errors.Add("reason", "Say why (1 to 1000 characters).");
        }

        var now = time.GetUtcNow();
        var start = body.Start ?? now;
        if (start < now - TimeSpan.FromMinutes(1) || start > now + TimeSpan.FromDays(365))
        {
            errors.Add("start", "The start must be now or in the next 365 days.");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var window = await store.WriteAsync(async (s, c) =>
        {
            s.Raise(CommitTopics.PublicStatus);
            var w = await s.Operations.AddWindowAsync(services, start, start + duration, body.Reason!.Trim(), body.BlocksDeploys ?? false, actor, s.Now, c);
            await s.Audit.AppendAsync(new AuditDraft(actor, "window.create", "window/" + w.Id.ToString(CultureInfo.InvariantCulture), w.Reason, null,
                JsonSerializer.Serialize(new { services = w.Services, starts_at = w.StartsAt, ends_at = w.EndsAt, blocks_deploys = w.BlocksDeploys })), c);
            return w;
        }, ct);
        return TypedResults.Created("/api/v1/windows", new WindowView("#" + window.Id.ToString(CultureInfo.InvariantCulture), window.Services, window.StartsAt,
            window.EndsAt, window.Reason, window.BlocksDeploys, window.StartsAt <= now, actor));
    }

    internal static async Task<IResult> CancelWindowAsync(long id, string? reason, string actor, IVigilStore store, CancellationToken ct)
    {
        var window = await store.ReadAsync((s, c) => s.Operations.GetWindowAsync(id, c), ct);
        if (window is null)
        {
            return Problems.NotFound($"No ad-hoc window #{id}; see 'vigil window list'. Windows from the config change with the config.");
        }

        if (window.CancelledAt is not null)
        {
            return Problems.Conflict($"Window #{id} was already cancelled by {window.CancelledBy}.");
        }

        var cancelled = await store.TryWriteAsync<bool>(async (s, c) =>
        {
            if (!await s.Operations.CancelWindowAsync(id, actor, s.Now, c))
            {
                return Refused.Conflict($"Window #{id} was cancelled meanwhile by someone else.");
            }

            // Escalations this window held page as soon as this commits, not at the window's planned end.
            s.Raise(CommitTopics.Holds);
            s.Raise(CommitTopics.PublicStatus);

            await s.Audit.AppendAsync(new AuditDraft(actor, "window.cancel", "window/" + id.ToString(CultureInfo.InvariantCulture), reason,
                JsonSerializer.Serialize(new { services = window.Services, ends_at = window.EndsAt }), null), c);
            return true;
        }, ct);
        return cancelled.ToResult(_ => TypedResults.NoContent());
    }

    /// <summary><c>POST /api/v1/silences</c> and the console: a silence from now for a duration.</summary>
    internal static async Task<IResult> AddSilenceAsync(SilenceRequest body, string actor, IVigilStore store, TimeProvider time, CancellationToken ct)
    {
        var duration = TimeSpan.Zero;
        if (body.Duration is null || !Duration.TryParse(body.Duration, out duration) || duration <= TimeSpan.Zero || duration > MaxSilence)
        {
            var errors = new IntakeParsing.Errors();
            errors.Add("duration", $"'{body.Duration ?? "(missing)"}' is not a duration between 1s and 30d, such as 2h.");
            return Problems.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var outcome = await AddSilenceAsync(new SilenceDraft(body.Matchers ?? [], now, now + duration, body.Comment, null), actor, store, time, ct);
        return outcome.Result ?? TypedResults.Created("/api/v1/silences", SilenceView.From(outcome.Silence!));
    }

    private static readonly TimeSpan MaxSilence = TimeSpan.FromDays(30);

    /// <summary>
    /// Checks and stores a silence: matchers in Alertmanager's syntax, a comment, a start (default now) and an end no more
    /// than 30 days after the later of now and the start. With <see cref="SilenceDraft.Replaces"/>, that silence is expired
    /// in the same transaction, as Alertmanager does when a started silence is edited. Returns the silence, or the problem.
    /// </summary>
    internal static async Task<(Silence? Silence, IResult? Result)> AddSilenceAsync(SilenceDraft draft, string actor, IVigilStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new IntakeParsing.Errors();
        var matchers = new List<SilenceMatcher>();
        for (var i = 0; i < draft.Matchers.Count; i++)
        {
            if (SilenceMatcher.TryParse(draft.Matchers[i], out var m, out var why))
            {
                matchers.Add(m!);
            }
            else
            {
                errors.Add($"matchers[{i}]", why!);
            }
        }

        if (errors.Count == 0 && Silence.CheckMatchers(matchers) is { } unsafeMatchers)
        {
            errors.Add("matchers", unsafeMatchers);
        }

        var now = time.GetUtcNow();
        var startsAt = draft.StartsAt ?? now;
        if (draft.EndsAt is not { } endsAt || endsAt <= now || endsAt <= startsAt || endsAt - (startsAt > now ? startsAt : now) > MaxSilence)
        {
            errors.Add("endsAt", $"'{draft.EndsAt?.ToString("O", CultureInfo.InvariantCulture) ?? "(missing)"}' must be after now and after startsAt, and at most 30 days after the later of the two.");
            endsAt = default;
        }

        if (string.IsNullOrWhiteSpace(draft.Comment) || draft.Comment.Length > 1000)
        {
            errors.Add("comment", "Say why (1 to 1000 characters).");
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Invalid(errors));
        }

        var outcome = await store.TryWriteAsync<Silence>(async (s, c) =>
        {
            if (draft.Replaces is { } old)
            {
                if (!await s.Operations.ExpireSilenceAsync(old, actor, s.Now, c))
                {
                    return Refused.NotFound($"No silence #{old} in force or pending to replace; leave the id out to create a new silence.");
                }

                s.Raise(CommitTopics.Holds);
                await s.Audit.AppendAsync(new AuditDraft(actor, "silence.expire", "silence/" + old.ToString(CultureInfo.InvariantCulture), "replaced"), c);
            }

            var created = await s.Operations.AddSilenceAsync(matchers, startsAt, endsAt, draft.Comment!.Trim(), actor, s.Now, c);
            await s.Audit.AppendAsync(new AuditDraft(actor, "silence.add", "silence/" + created.Id.ToString(CultureInfo.InvariantCulture), created.Comment, null,
                JsonSerializer.Serialize(new { matchers = matchers.Select(m => m.ToString()), starts_at = created.StartsAt, ends_at = created.EndsAt, replaces = draft.Replaces })), c);
            return created;
        }, ct);
        return outcome.Match<(Silence?, IResult?)>(x => (x, null), refused => (null, OutcomeResults.ToProblem(refused)));
    }

    internal static async Task<IResult> ExpireSilenceAsync(long id, string actor, IVigilStore store, CancellationToken ct)
    {
        var active = await store.ReadAsync((s, c) => s.Operations.ListSilencesAsync(s.Now, c), ct);
        if (active.All(x => x.Id != id))
        {
            return Problems.NotFound($"No active silence #{id}; see 'vigil silence list'.");
        }

        var expired = await store.TryWriteAsync<bool>(async (s, c) =>
        {
            if (!await s.Operations.ExpireSilenceAsync(id, actor, s.Now, c))
            {
                return Refused.Conflict($"Silence #{id} ended or was expired meanwhile.");
            }

            // Escalations this silence held page as soon as this commits, not at its planned end.
            s.Raise(CommitTopics.Holds);

            await s.Audit.AppendAsync(new AuditDraft(actor, "silence.expire", "silence/" + id.ToString(CultureInfo.InvariantCulture)), c);
            return true;
        }, ct);
        return expired.ToResult(_ => TypedResults.NoContent());
    }

    private static IResult? ValidateService(string? service, IncidentPolicies policies) =>
        service is null || policies.Current.IsService(service)
            ? null
            : Problems.Invalid("service", policies.Current.NotAService(service));

    private static string Target(string? service) => service is null ? "freeze/*" : "freeze/" + service;
}
