using System.Globalization;
using System.Text;
using System.Text.Json;
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

namespace Vigil.Server.Runbooks;

/// <summary>The runbook catalog, runs (create, approve, confirm, cancel), their logs and live events.</summary>
internal static class RunbookEndpoints
{
    public static void MapRunbookEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/runbooks", async (RunbookRuntime runtime, IVigilStore store, CancellationToken ct) =>
        {
            var catalog = runtime.Catalog();
            var latest = await store.ReadAsync((s, c) => s.Runbooks.LatestByRunbookAsync(c), ct);
            return TypedResults.Ok(new RunbookCatalogView(
                catalog.Entries.Select(e => RunbookSummaryView.From(e, latest.GetValueOrDefault(e.Id))).ToList(),
                catalog.Problems.Select(p => $"{p.Path}: {p.Message}").ToList()));
        }).WithTags("Runbooks").RequireRole(Role.Viewer).WithSummary("The runbook catalog with each runbook's last run.");

        api.MapPost("/runbook-runs", async Task<IResult> (HttpContext http, RunbookRuntime runtime, ConfigState config, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<RunCreateRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            return await CreateRunAsync(body!, http.GetPrincipal(), runtime, config, ct);
        }).WithTags("Runbooks").RequireRole(Role.Responder).Accepts<RunCreateRequest>("application/json").Produces<RunView>(StatusCodes.Status201Created)
          .WithSummary("Start a run (or hold it for approval). Parameters are validated first; mutating steps are refused during a freeze unless an operator overrides it.");

        api.MapGet("/runbook-runs", async Task<IResult> (IVigilStore store, string? runbook, bool? drills, int? limit, CancellationToken ct) =>
        {
            if (!PageLimit.TryResolve(limit, 50, out var size, out var problem))
            {
                return problem!;
            }

            var query = new RunQuery(runbook, drills ?? false, size);
            return TypedResults.Ok((await store.ReadAsync((s, c) => s.Runbooks.ListRunsAsync(query, c), ct)).Select(r => RunView.From(r)).ToList());
        }).WithTags("Runbooks").RequireRole(Role.Viewer).WithSummary("Runs, newest first (?runbook=ID, ?drills=true, ?limit=N).");

        api.MapGet("/runbook-runs/{id:long}", async Task<IResult> (long id, IVigilStore store, CancellationToken ct) =>
        {
            var (run, steps) = await ReadRunAsync(store, id, ct);
            return run is null ? Problems.NotFound($"run #{id}") : TypedResults.Ok(RunView.From(run, steps));
        }).WithTags("Runbooks").RequireRole(Role.Viewer).WithSummary("One run with its steps.");

        api.MapGet("/runbook-runs/{id:long}/log", async Task<IResult> (long id, IVigilStore store, CancellationToken ct) =>
        {
            var (run, steps) = await ReadRunAsync(store, id, ct);
            return run is null ? Problems.NotFound($"run #{id}") : TypedResults.Text(RenderLog(run, steps), "text/plain; charset=utf-8");
        }).WithTags("Runbooks").RequireRole(Role.Viewer).WithSummary("The captured, redacted output of every step of a run, as text.");

        api.MapGet("/runbook-runs/{id:long}/events", async Task (long id, HttpContext http, RunbookRuntime runtime, IVigilStore store, CancellationToken ct) =>
        {
            var live = runtime.Events(id);
            var (run, steps) = live is null ? await ReadRunAsync(store, id, ct) : (null, []);
            if (live is null && run is null)
            {
                await Problems.NotFound($"run #{id}").ExecuteAsync(http);
                return;
            }

            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            var events = live?.ReadAsync(ct) ?? Replay(run!, steps);
            try
            {
                await foreach (var e in events)
                {
                    await http.Response.WriteAsync($"event: {JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Type.ToString())}\ndata: {JsonSerializer.Serialize(e, VigilJson.Options)}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away; the run goes on.
            }
        }).WithTags("Runbooks").RequireRole(Role.Viewer)
          .WithSummary("Server-sent events of a run: status, step, output (one line each), confirm, step_end and end. A finished run is replayed from its record.");

        api.MapPost("/runbook-runs/{id:long}/approve", async Task<IResult> (long id, HttpContext http, RunbookRuntime runtime, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new RunReasonRequest(null), ct);
            return error ?? await ApproveAsync(id, body!, http.GetPrincipal().Name, runtime, ct);
        }).WithTags("Runbooks").RequireRole(Role.Operator).WithSummary("Approve a run waiting for approval; the approver must not be its requester.");

        api.MapPost("/runbook-runs/{id:long}/cancel", async Task<IResult> (long id, HttpContext http, RunbookRuntime runtime, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new RunReasonRequest(null), ct);
            return error ?? await CancelAsync(id, body!, http.GetPrincipal().Name, runtime, ct);
        }).WithTags("Runbooks").RequireRole(Role.Responder).WithSummary("Cancel a run: the current step's process tree is stopped; no rollback runs.");

        api.MapPost("/runbook-runs/{id:long}/confirm", async Task<IResult> (long id, HttpContext http, RunbookRuntime runtime, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<RunConfirmRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            return await ConfirmAsync(id, body!, http.GetPrincipal().Name, runtime, ct);
        }).WithTags("Runbooks").RequireRole(Role.Responder).Accepts<RunConfirmRequest>("application/json")
          .WithSummary("Answer a run waiting before a step: yes, all or no.");
    }

    /// <summary>Starts a run (or holds it for approval): the one code path of <c>POST /runbook-runs</c> and the console.</summary>
    internal static async Task<IResult> CreateRunAsync(RunCreateRequest body, Principal principal, RunbookRuntime runtime, ConfigState config, CancellationToken ct)
    {
        if (body.OverrideFreeze == true && principal.Role < Role.Operator)
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Forbidden",
                $"Overriding a freeze needs an operator token; {principal.Name} is a {principal.Role.ToString().ToLowerInvariant()}. Ask an operator, or wait for 'vigil unfreeze'.");
        }

        var (start, bad) = Prepare(body, runtime, config.Current.Config, principal.Name);
        if (bad is not null)
        {
            return bad;
        }

        return (await runtime.CreateAsync(start!, ct)).ToResult(run => TypedResults.Created($"/api/v1/runbook-runs/{run.Id}", RunView.From(run)));
    }

    /// <summary>Approves a held run (not by its requester): API route and console.</summary>
    internal static async Task<IResult> ApproveAsync(long id, RunReasonRequest body, string actor, RunbookRuntime runtime, CancellationToken ct) =>
        TooLong("reason", body.Reason) ?? (await runtime.ApproveAsync(id, actor, body.Reason, ct)).ToResult(Ok);

    /// <summary>Cancels a run: API route and console.</summary>
    internal static async Task<IResult> CancelAsync(long id, RunReasonRequest body, string actor, RunbookRuntime runtime, CancellationToken ct) =>
        TooLong("reason", body.Reason) ?? (await runtime.CancelAsync(id, actor, body.Reason, ct)).ToResult(Ok);

    /// <summary>Answers a run waiting before a step: API route and console.</summary>
    internal static async Task<IResult> ConfirmAsync(long id, RunConfirmRequest body, string actor, RunbookRuntime runtime, CancellationToken ct) =>
        RunNames.TryParseAnswer(body.Answer, out var answer)
            ? (await runtime.ConfirmAsync(id, actor, answer, body.Step, ct)).ToResult(Ok)
            : Problems.Invalid("answer", "Answer yes (run the waiting step), all (and the ordinary steps after it) or no (cancel the run).");

    /// <summary>Validates a run request against the catalog and the runbook's parameters.</summary>
    internal static (RunStart? Start, IResult? Error) Prepare(RunCreateRequest body, RunbookRuntime runtime, VigilConfig config, string actor)
    {
        if (string.IsNullOrWhiteSpace(body.Runbook))
        {
            return (null, Problems.Invalid("runbook", "Name the runbook: its id (see 'vigil runbook list') or its path."));
        }

        var catalog = runtime.Catalog();
        if (catalog.Find(body.Runbook) is not { } entry)
        {
            var known = string.Join(", ", catalog.Entries.Select(e => e.Id).Take(20));
            return (null, Problems.NotFound($"runbook {body.Runbook} (known: {(known.Length == 0 ? "none; add runbooks under runbooks.paths" : known)})"));
        }

        TimeSpan? rto = null;
        if (body.DrillRto is not null)
        {
            if (!Duration.TryParse(body.DrillRto, out var parsed) || parsed <= TimeSpan.Zero)
            {
                return (null, Problems.Invalid("drillRto", $"'{body.DrillRto}' is not a positive duration such as 10m or 1h."));
            }

            rto = parsed;
        }

        if (body.OverrideFreeze == true && string.IsNullOrWhiteSpace(body.Reason))
        {
            return (null, Problems.Invalid("reason", "Overriding a freeze needs a reason (--reason R); it is recorded in the audit trail."));
        }

        if (TooLong("reason", body.Reason) is { } longReason)
        {
            return (null, longReason);
        }

        if (body.Confirm?.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 200) == true)
        {
            return (null, Problems.Invalid("confirm", "Each entry names a step marked confirm=true: its name or number, or all."));
        }

        if (body.Params?.Any(p => p.Value is null) == true)
        {
            return (null, Problems.Invalid("params", "Every parameter needs a string value (NAME=VALUE); null is not one."));
        }

        var plan = RunbookPlanner.Plan(entry.Runbook, body.Procedure, body.Params ?? new Dictionary<string, string>(), runtime.PlanOptions());
        if (!plan.IsRunnable)
        {
            return (null, Problems.Invalid(plan.Problems
                .GroupBy(p => p.Parameter is null ? "procedure" : "params." + p.Parameter)
                .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())));
        }

        var request = new RunRequest(entry.Id, entry.Path, plan.Procedure!.Slug, entry.Service, config.Vigil.Environment, plan.Shown,
            rto is null ? "api" : "drill", body.Yes ?? false, body.Confirm ?? [], body.StepByStep ?? false,
            body.OverrideFreeze == true ? body.Reason!.Trim() : null, body.Incident, rto);
        return (new RunStart(entry, plan, request, actor), null);
    }

    private static IResult Ok(RunbookRun run) => TypedResults.Ok(RunView.From(run));

    private static IResult? TooLong(string field, string? text) =>
        text is { Length: > 1000 } ? Problems.Invalid(field, "Keep it under 1000 characters; it goes into the audit trail.") : null;

    internal static async Task<(RunbookRun? Run, IReadOnlyList<RunStep> Steps)> ReadRunAsync(IVigilStore store, long id, CancellationToken ct) =>
        await store.ReadAsync(async (s, c) =>
        {
            var run = await s.Runbooks.GetRunAsync(id, c);
            return (run, run is null ? (IReadOnlyList<RunStep>)[] : await s.Runbooks.ListStepsAsync(id, c));
        }, ct);

    /// <summary>The run's record as events, for a run no longer in flight.</summary>
    private static async IAsyncEnumerable<RunEventView> Replay(RunbookRun run, IReadOnlyList<RunStep> steps)
    {
        foreach (var step in steps)
        {
            yield return new RunEventView(RunEventType.Step, Seq: step.Seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name);
            foreach (var line in step.Output.TrimEnd('\n').Split('\n').Where(_ => step.Output.Length > 0))
            {
                yield return new RunEventView(RunEventType.Output, Seq: step.Seq, Line: line);
            }

            yield return new RunEventView(RunEventType.StepEnd, Seq: step.Seq, Index: step.Index, Rollback: step.InRollback, Name: step.Name, StepStatus: step.Status,
                ExitCode: step.ExitCode, DurationSeconds: Math.Round((step.EndedAt - step.StartedAt).TotalSeconds, 3));
        }

        yield return new RunEventView(RunEventType.End, run.Status, Message: run.Error);
        await Task.CompletedTask;
    }

    internal static string RenderLog(RunbookRun run, IReadOnlyList<RunStep> steps)
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"# run #{run.Id} of {run.Request.RunbookId} ({run.Request.Procedure}) requested by {run.RequestedBy} at {run.CreatedAt:u}: {RunNames.Of(run.Status)}\n");
        foreach (var (name, value) in run.Request.Parameters)
        {
            sb.Append(c, $"# param {name}={value}\n");
        }

        foreach (var s in steps)
        {
            sb.Append(c, $"\n── {(s.InRollback ? "rollback " : "")}step {s.Index}{(s.Name is null ? "" : $" ({s.Name})")}: {RunNames.Of(s.Status)}")
              .Append(s.ExitCode is { } code ? string.Create(c, $", exit {code}") : "")
              .Append(c, $", {(s.EndedAt - s.StartedAt).TotalSeconds:0.000} s, {s.OutputBytes} bytes{(s.Truncated ? " (middle omitted)" : "")} ──\n")
              .Append(s.Output);
        }

        if (run.Error is not null)
        {
            sb.Append(c, $"\n# {run.Error}\n");
        }

        if (run.RollbackOutcome is { } rollback)
        {
            sb.Append(c, $"# rollback {RunNames.Of(rollback)}\n");
        }

        return sb.ToString();
    }
}
