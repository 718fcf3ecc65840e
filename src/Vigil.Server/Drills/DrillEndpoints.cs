using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.Runbooks;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Http;
using Vigil.Server.Runbooks;

namespace Vigil.Server.Drills;

/// <summary>Fault-injection drills: start one, list them with the trend per service, read one.</summary>
internal static class DrillEndpoints
{
    public static void MapDrillEndpoints(this IEndpointRouteBuilder api)
    {
        // Operator: a drill breaks a service on purpose and opens a maintenance window, which needs an operator too.
        api.MapPost("/drills", async Task<IResult> (HttpContext http, RunbookRuntime runtime, DrillRunner drills, ConfigState config, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<DrillCreateRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            var (plan, bad) = Prepare(body!, runtime, config.Current.Config, http.GetPrincipal().Name);
            if (bad is not null)
            {
                return bad;
            }

            return (await drills.StartAsync(plan!, ct)).ToResult(d => TypedResults.Created($"/api/v1/drills/{d.Id}", DrillView.From(d)));
        }).WithTags("Drills").RequireRole(Role.Operator).Accepts<DrillCreateRequest>("application/json").Produces<DrillView>(StatusCodes.Status201Created)
          .WithSummary("Start a fault-injection drill: inject, wait for Vigil's checks to detect it, recover, verify; paging for the service is held by an audited window.");

        api.MapGet("/drills", async Task<IResult> (IVigilStore store, string? service, int? limit, CancellationToken ct) =>
        {
            if (!PageLimit.TryResolve(limit, 50, out var size, out var problem))
            {
                return problem!;
            }

            var list = await store.ReadAsync((s, c) => s.Drills.ListAsync(string.IsNullOrWhiteSpace(service) ? null : service, size, c), ct);
            return TypedResults.Ok(new DrillListView(list.Select(DrillView.From).ToList(), DrillTrend.Of(list).Select(DrillTrendView.From).ToList()));
        }).WithTags("Drills").RequireRole(Role.Viewer).WithSummary("Drills newest first (?service=S, ?limit=N) and the trend per service over them.");

        api.MapGet("/drills/{id:long}", async Task<IResult> (long id, IVigilStore store, CancellationToken ct) =>
            await store.ReadAsync((s, c) => s.Drills.GetAsync(id, c), ct) is { } d ? TypedResults.Ok(DrillView.From(d)) : Problems.NotFound($"drill #{id}"))
            .WithTags("Drills").RequireRole(Role.Viewer).WithSummary("One drill with its times, runs and verdict.");
    }

    /// <summary>Checks the runbook is a drill of a configured service whose checks exist, and plans its three procedures.</summary>
    internal static (DrillPlan? Plan, IResult? Error) Prepare(DrillCreateRequest body, RunbookRuntime runtime, VigilConfig config, string actor)
    {
        if (string.IsNullOrWhiteSpace(body.Runbook))
        {
            return (null, Problems.Invalid("runbook", "Name the drill runbook: its id (see 'vigil runbook list') or its path."));
        }

        var catalog = runtime.Catalog();
        if (catalog.Find(body.Runbook) is not { } entry)
        {
            return (null, Problems.NotFound($"runbook {body.Runbook} (known: {string.Join(", ", catalog.Entries.Select(e => e.Id).Take(20))})"));
        }

        var fix = $"{entry.Path} is not a fault-injection drill";
        if (entry.Runbook.Metadata.Drill is not { } spec)
        {
            return (null, Problems.Invalid("runbook", $"{fix}: its front matter has no `drill:` (for example `drill: {{ checks: [health] }}`). To time a recovery procedure instead, pass --procedure and --rto."));
        }

        if (entry.Service is not { } serviceId || config.FindService(serviceId) is not { } service)
        {
            return (null, Problems.Invalid("runbook", $"{fix}: its front matter's `service` must name a configured service (services: {string.Join(", ", config.Services.Select(s => s.Id))})."));
        }

        var missing = DrillSpec.Procedures.Where(p => !entry.Runbook.Procedures.Any(x => x.Slug == p)).ToList();
        if (missing.Count > 0)
        {
            return (null, Problems.Invalid("runbook", $"{fix}: it needs procedures headed {string.Join(", ", DrillSpec.Procedures.Select(p => "`## " + char.ToUpperInvariant(p[0]) + p[1..] + "`"))}; missing: {string.Join(", ", missing)}."));
        }

        var keys = new List<string>();
        foreach (var check in spec.Checks.Count == 0 ? service.Checks.Select(c => c.Id) : spec.Checks)
        {
            var key = check.Contains('/', StringComparison.Ordinal) ? check : $"{serviceId}/{check}";
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (config.FindService(key[..slash])?.Checks.Any(c => c.Id == key[(slash + 1)..]) != true)
            {
                return (null, Problems.Invalid("runbook", $"{fix} Vigil can run: its drill names check {key}, which the config does not have (checks of {serviceId}: {string.Join(", ", service.Checks.Select(c => c.Id))})."));
            }

            keys.Add(key);
        }

        if (keys.Count == 0)
        {
            return (null, Problems.Invalid("runbook", $"service {serviceId} has no checks, so nothing can detect the fault; add a check, or name one in the drill's `checks:`."));
        }

        TimeSpan rto;
        if (body.Rto is not null)
        {
            if (!Duration.TryParse(body.Rto, out rto) || rto <= TimeSpan.Zero)
            {
                return (null, Problems.Invalid("rto", $"'{body.Rto}' is not a positive duration such as 10m or 1h."));
            }
        }
        else if (service.Rto is { } configured)
        {
            rto = configured;
        }
        else
        {
            return (null, Problems.Invalid("rto", $"Service {serviceId} has no `rto:` in the config; set one, or pass --rto (like 10m)."));
        }

        if (body.Params?.Any(p => p.Value is null) == true)
        {
            return (null, Problems.Invalid("params", "Every parameter needs a string value (NAME=VALUE); null is not one."));
        }

        var confirm = body.Confirm ?? [];
        var starts = new List<RunStart>();
        foreach (var procedure in DrillSpec.Procedures)
        {
            var plan = RunbookPlanner.Plan(entry.Runbook, procedure, body.Params?.ToDictionary(p => p.Key, p => p.Value!) ?? new Dictionary<string, string>(), runtime.PlanOptions());
            if (!plan.IsRunnable)
            {
                return (null, Problems.Invalid(plan.Problems.GroupBy(p => p.Parameter is null ? "procedure" : "params." + p.Parameter)
                    .ToDictionary(g => g.Key, g => g.Select(p => $"{procedure}: {p.Message}").Distinct().ToArray())));
            }

            if (plan.Steps.FirstOrDefault(s => s.Confirm && !StepConfirmations.IsPreConfirmed(confirm, s)) is { } asks)
            {
                return (null, Problems.Invalid("confirm", $"Step {asks.Index}{(asks.Name is null ? "" : $" ({asks.Name})")} of {procedure} is marked confirm=true, and a drill runs unattended; approve it in advance with --confirm {asks.Name ?? asks.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)} (or --confirm all)."));
            }

            starts.Add(new RunStart(entry, plan, new RunRequest(entry.Id, entry.Path, plan.Procedure!.Slug, entry.Service, config.Vigil.Environment, plan.Shown,
                "drill", AutoConfirm: true, confirm, StepByStep: false, FreezeOverride: null, IncidentId: null, DrillRto: null), actor));
        }

        if (starts.FirstOrDefault(s => RunbookRuntime.NeedsApproval(config.Runbooks, s)) is { } needsApproval)
        {
            return (null, Problems.Invalid("runbook",
                $"Its {needsApproval.Request.Procedure} procedure changes things, and environment {config.Vigil.Environment} is in runbooks.require_approval_in, so it would wait for an approval a drill cannot give (it runs unattended). Run drills from an environment that needs no approval, or take {config.Vigil.Environment} out of require_approval_in."));
        }

        return (new DrillPlan(entry, serviceId, keys, starts[0], starts[1], starts[2], rto, spec.DetectWithin ?? DrillSpec.DefaultDetectWithin,
            spec.RecoverWithin ?? DrillSpec.DefaultRecoverWithin, actor), null);
    }
}
