using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Auth;
using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Http;

namespace Vigil.Server.Backups;

/// <summary>Backups and backup jobs: list, run, verify, restore, prune, and Vigil's own database (<c>self</c>).</summary>
internal static class BackupEndpoints
{
    public static void MapBackupEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/backups", async Task<IResult> (IVigilStore store, TimeProvider time, string? job, bool? pruned, int? limit, CancellationToken ct) =>
        {
            if (!PageLimit.TryResolve(limit, 100, out var size, out var problem))
            {
                return problem!;
            }

            var list = await store.ReadAsync((s, c) => s.Backups.ListAsync(job, pruned ?? false, size, c), ct);
            var now = time.GetUtcNow();
            return TypedResults.Ok(list.Select(b => BackupView.From(b, now)).ToList());
        }).WithTags("Backups").RequireRole(Role.Viewer).WithSummary("Backups newest first (?job=ID, ?pruned=true, ?limit=N), with verified state and age.");

        api.MapGet("/backups/{id}", async Task<IResult> (string id, BackupEngine engine, TimeProvider time, CancellationToken ct) =>
            await engine.GetAsync(id, ct) is { } b ? TypedResults.Ok(BackupView.From(b, time.GetUtcNow())) : Problems.NotFound($"backup {id} (see vigil backup list)"))
            .WithTags("Backups").RequireRole(Role.Viewer).WithSummary("One backup with its manifest figures.");

        api.MapGet("/backup-jobs", async (BackupStatusReader reader, CancellationToken ct) => TypedResults.Ok(await reader.JobsAsync(ct)))
            .WithTags("Backups").RequireRole(Role.Viewer).WithSummary("Every backup job with its health: newest backup, newest verified backup, what is failing.");

        api.MapGet("/backup-events", async Task<IResult> (IVigilStore store, string? job, int? limit, CancellationToken ct) =>
        {
            if (!PageLimit.TryResolve(limit, 50, out var size, out var problem))
            {
                return problem!;
            }

            var list = await store.ReadAsync((s, c) => s.Backups.ListEventsAsync(job, size, c), ct);
            return TypedResults.Ok(list.Select(BackupEventView.From).ToList());
        }).WithTags("Backups").RequireRole(Role.Viewer).WithSummary("Job events newest first: runs, verifications, restores, restore tests, prunes, missed schedules, RPO.");

        api.MapPost("/backup-jobs/{job}/runs", async Task<IResult> (string job, HttpContext http, BackupEngine engine, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new BackupRunRequest(null), ct);
            if (error is not null)
            {
                return error;
            }

            var outcome = await engine.RunAsync(job, http.GetPrincipal().Name, body!.Verify ?? true, null, ct);
            return outcome.ToResult(b => TypedResults.Created($"/api/v1/backups/{b.Id}", BackupView.From(b, time.GetUtcNow())));
        }).WithTags("Backups").RequireRole(Role.Operator).Accepts<BackupRunRequest>("application/json").Produces<BackupView>(StatusCodes.Status201Created)
          .WithSummary("Take a backup now (and verify it, unless verify=false). A failed attempt is recorded and answered with status failed.");

        api.MapPost("/backups/self", async Task<IResult> (HttpContext http, BackupEngine engine, TimeProvider time, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new BackupSelfRequest(null), ct);
            if (error is not null)
            {
                return error;
            }

            if (body!.To is { } to && (!Path.IsPathRooted(to) || to.Contains('\0', StringComparison.Ordinal)))
            {
                return Problems.Invalid("to", $"'{to}' is not an absolute folder path on the server; give one like /var/backups/vigil.");
            }

            var outcome = await engine.RunJobAsync(engine.SelfJobFor(body.To), http.GetPrincipal().Name, verify: true, null, ct);
            return outcome.ToResult(b => TypedResults.Created($"/api/v1/backups/{b.Id}", BackupView.From(b, time.GetUtcNow())));
        }).WithTags("Backups").RequireRole(Role.Admin).Accepts<BackupSelfRequest>("application/json").Produces<BackupView>(StatusCodes.Status201Created)
          .WithSummary("An online, consistent copy of Vigil's own database with a manifest, verified after it is written.");

        api.MapPost("/backups/{id}/verify", async Task<IResult> (string id, HttpContext http, BackupEngine engine, CancellationToken ct) =>
            (await engine.VerifyAsync(id, http.GetPrincipal().Name, null, ct)).ToResult(v => TypedResults.Ok(new BackupVerifyView(v.BackupId, v.Ok, v.Problems, v.PlainBytes))))
            .WithTags("Backups").RequireRole(Role.Operator).Produces<BackupVerifyView>()
            .WithSummary("Check a backup at its destination: the manifest and its signature, the stored bytes' SHA-256, decryption and decompression, the plaintext SHA-256.");

        api.MapPost("/backups/{id}/restore", async Task<IResult> (string id, HttpContext http, BackupEngine engine, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<BackupRestoreRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }

            if (body!.To is not { Length: > 0 } to || !Path.IsPathRooted(to) || to.Contains('\0', StringComparison.Ordinal))
            {
                return Problems.Invalid("to", "Name the folder to restore into as an absolute path on the server (a new or empty folder), like /tmp/restore.");
            }

            var outcome = await engine.RestoreAsync(id, to, body.DryRun ?? false, body.Only ?? [], http.GetPrincipal().Name, null, ct);
            return outcome.ToResult(r => TypedResults.Ok(new BackupRestoreView(r.BackupId, r.Target, r.DryRun, r.Files.Select(f => new RestoredFileView(f.Name, f.Size)).ToList(), r.Bytes)));
        }).WithTags("Backups").RequireRole(Role.Operator).Accepts<BackupRestoreRequest>("application/json").Produces<BackupRestoreView>()
          .WithSummary("Restore a backup into a new or empty folder on the server (dry_run lists what would be written; only picks paths).");

        api.MapPost("/backup-jobs/{job}/prune", async Task<IResult> (string job, HttpContext http, BackupEngine engine, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadOptionalAsync(http.Request, new BackupPruneRequest(null), ct);
            if (error is not null)
            {
                return error;
            }

            var outcome = await engine.PruneAsync(job, body!.DryRun ?? false, http.GetPrincipal().Name, ct);
            return outcome.ToResult(p => TypedResults.Ok(new BackupPruneView(p.Job, p.DryRun,
                p.Decisions.Select(d => new RetentionDecisionView(d.Id, d.CreatedAt, d.Keep, d.Reasons)).ToList(), p.Problems)));
        }).WithTags("Backups").RequireRole(Role.Operator).Accepts<BackupPruneRequest>("application/json").Produces<BackupPruneView>()
          .WithSummary("Apply the job's retention: delete the backups no rule keeps (dry_run shows the decision for each).");
    }
}
