using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil backup run|list|jobs|verify|restore|prune|self</c>: the work runs on the server; long work shows a spinner with the elapsed time.</summary>
internal static class BackupCommands
{
    public static Command Build(CliEnvironment env)
    {
        var backup = new Command("backup", "Backups: take, list, verify, restore and prune them (docs/backups.md).");

        var jobArg = new Argument<string>("job") { Description = "Backup job id (from backups: in the config)" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Do not read the backup back from its destination afterwards" };
        var run = new Command("run", "Take a backup now, then verify it at its destination. Exit 1 if it failed.") { jobArg, noVerify };
        run.SetHandler(env, async (ctx, ct) =>
        {
            var job = ctx.Parse.GetValue(jobArg)!;
            using var api = ctx.LongApi();
            var b = await WithSpinner(ctx, $"Backing up {job} on the server…", () =>
                api.PostAsync<BackupView>($"api/v1/backup-jobs/{Uri.EscapeDataString(job)}/runs", new BackupRunRequest(!ctx.Parse.GetValue(noVerify)), ct));
            return Print(ctx, b);
        });

        var to = new Option<string?>("--to") { Description = "Folder on the server to write the copy to (default: the configured self job, else backups/vigil-self in the data folder)" };
        var self = new Command("self", "Take an online, consistent copy of Vigil's own database, with a manifest, and verify it (admin).") { to };
        self.SetHandler(env, async (ctx, ct) =>
        {
            var folder = ctx.Parse.GetValue(to) is { } t ? ctx.Env.Resolve(t) : null;
            using var api = ctx.LongApi();
            var b = await WithSpinner(ctx, "Copying Vigil's database…", () => api.PostAsync<BackupView>("api/v1/backups/self", new BackupSelfRequest(folder), ct));
            return Print(ctx, b);
        });

        var jobOpt = new Argument<string?>("job") { Description = "Only this job's backups", Arity = ArgumentArity.ZeroOrOne };
        var pruned = new Option<bool>("--pruned") { Description = "Include pruned backups" };
        var list = new Command("list", "List backups newest first, with their verified state and age.") { jobOpt, pruned };
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var job = ctx.Parse.GetValue(jobOpt);
            var items = await api.GetAsync<List<BackupView>>("api/v1/backups?limit=500" + (job is null ? "" : "&job=" + Uri.EscapeDataString(job))
                + (ctx.Parse.GetValue(pruned) ? "&pruned=true" : ""), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Ok;
            }

            if (items.Count == 0)
            {
                ctx.Line(job is null ? "No backups yet." : $"No backups of {job} yet (vigil backup run {job}).");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "JOB", "AGE", "STATUS", "VERIFIED", "SIZE", "STORED", "CIPHER");
            foreach (var b in items)
            {
                table.AddRow(Markup.Escape(b.Id), Markup.Escape(b.Job), Age(b.AgeSeconds), Status(b.Status), Verified(b),
                    b.PlainSize is { } p ? Size(p) : "-", b.StoredSize is { } s ? Size(s) : "-", Markup.Escape(b.Cipher ?? "-"));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var jobs = new Command("jobs", "List backup jobs with their health: newest backup, newest verified backup, RPO, what is failing.");
        jobs.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var items = await api.GetAsync<List<BackupJobView>>("api/v1/backup-jobs", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("JOB", "SERVICE", "SOURCE", "NEXT", "LAST", "NEWEST VERIFIED", "RPO", "HEALTH");
            foreach (var j in items)
            {
                table.AddRow(Markup.Escape(j.Id), Markup.Escape(j.Service ?? "-"), j.Source, j.Paused ? "paused" : j.NextRunAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
                    j.LastBackupAt is null ? "-" : $"{Status(j.LastBackupStatus!)} {CliContext.Ago(j.LastBackupAt)}",
                    j.NewestVerifiedAgeSeconds is { } a ? Age(a) + " ago" : "never",
                    j.RpoSeconds is { } r ? Age(r) : "-",
                    j.Healthy ? "[green]ok[/]" : "[red]" + Markup.Escape(string.Join("; ", j.Failing.Select(f => $"{f.Key}: {f.Value}").DefaultIfEmpty("last backup failed"))) + "[/]");
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var idArg = new Argument<string>("id") { Description = "Backup id (see vigil backup list)" };
        var verify = new Command("verify", "Check a backup at its destination: manifest and signature, checksums, decryption. Exit 1 if it fails.") { idArg };
        verify.SetHandler(env, async (ctx, ct) =>
        {
            var id = ctx.Parse.GetValue(idArg)!;
            using var api = ctx.LongApi();
            var v = await WithSpinner(ctx, $"Verifying {id}…", () => api.PostAsync<BackupVerifyView>($"api/v1/backups/{Uri.EscapeDataString(id)}/verify", null, ct));
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(v);
            }
            else if (v.Ok)
            {
                ctx.Line($"{v.Id}: verified (manifest signature, stored and plaintext SHA-256, decryption of {Size(v.PlainBytes)}).");
            }
            else
            {
                ctx.Line($"{v.Id}: FAILED verification:");
                foreach (var p in v.Problems)
                {
                    ctx.Line("  - " + p);
                }
            }

            return v.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        });

        var toDir = new Option<string>("--to") { Description = "Folder to restore into (new or empty; on the server's machine)", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be restored; write nothing" };
        var only = new Option<string[]>("--only") { Description = "Restore only these paths (as listed in the backup), repeatable", AllowMultipleArgumentsPerToken = true };
        var restore = new Command("restore", "Restore a backup into a folder. Try --dry-run first.") { idArg, toDir, dryRun, only };
        restore.SetHandler(env, async (ctx, ct) =>
        {
            var id = ctx.Parse.GetValue(idArg)!;
            var request = new BackupRestoreRequest(ctx.Env.Resolve(ctx.Parse.GetValue(toDir)!), ctx.Parse.GetValue(dryRun), ctx.Parse.GetValue(only) ?? []);
            using var api = ctx.LongApi();
            var r = await WithSpinner(ctx, request.DryRun == true ? $"Reading {id}…" : $"Restoring {id} into {request.To}…",
                () => api.PostAsync<BackupRestoreView>($"api/v1/backups/{Uri.EscapeDataString(id)}/restore", request, ct));
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(r);
                return ExitCodes.Ok;
            }

            foreach (var f in r.Files)
            {
                ctx.Line($"{(r.DryRun ? "would restore" : "restored")}  {f.Path}  ({Size(f.Size)})");
            }

            ctx.Line(r.DryRun
                ? $"Dry run: {r.Files.Count} entries, {Size(r.Bytes)} would be written to {r.To}. Nothing was written."
                : $"Restored {r.Files.Count} entries, {Size(r.Bytes)}, into {r.To}.");
            return ExitCodes.Ok;
        });

        var pruneDry = new Option<bool>("--dry-run") { Description = "Show what retention keeps and removes; remove nothing" };
        var prune = new Command("prune", "Apply the job's retention (keep:): remove the backups no rule keeps.") { jobArg, pruneDry };
        prune.SetHandler(env, async (ctx, ct) =>
        {
            var job = ctx.Parse.GetValue(jobArg)!;
            using var api = ctx.LongApi();
            var p = await api.PostAsync<BackupPruneView>($"api/v1/backup-jobs/{Uri.EscapeDataString(job)}/prune", new BackupPruneRequest(ctx.Parse.GetValue(pruneDry)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(p);
                return p.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
            }

            var table = new Table().AddColumns("ID", "TAKEN", p.DryRun ? "WOULD" : "DONE", "KEPT BY");
            foreach (var d in p.Decisions)
            {
                table.AddRow(Markup.Escape(d.Id), d.CreatedAt.ToString("u", CultureInfo.InvariantCulture), d.Keep ? "[green]keep[/]" : p.DryRun ? "[yellow]remove[/]" : "[red]removed[/]",
                    Markup.Escape(string.Join(", ", d.Reasons)));
            }

            ctx.Console.Write(table);
            foreach (var problem in p.Problems)
            {
                ctx.Error("could not remove " + problem);
            }

            ctx.Line($"{p.Decisions.Count(d => !d.Keep)} of {p.Decisions.Count} {(p.DryRun ? "would be removed (dry run)" : "removed")}.");
            return p.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });

        backup.Add(run);
        backup.Add(list);
        backup.Add(jobs);
        backup.Add(verify);
        backup.Add(restore);
        backup.Add(prune);
        backup.Add(self);
        return backup;
    }

    private static async Task<T> WithSpinner<T>(CliContext ctx, string what, Func<Task<T>> work) =>
        ctx.Format == OutputFormat.Json ? await work() : await ctx.Console.Status().StartAsync(what, _ => work());

    private static int Print(CliContext ctx, BackupView b)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(b);
        }
        else if (b.Status == "failed")
        {
            ctx.Error($"Backup {b.Id} failed: {b.Error}");
        }
        else
        {
            ctx.Line($"Backup {b.Id}: {Size(b.PlainSize ?? 0)} stored as {Size(b.StoredSize ?? 0)} ({b.Compression}, {b.Cipher}) at {b.Destination}.");
            ctx.Line(b.Verified switch
            {
                true => "Verified: manifest signature, checksums and decryption passed.",
                false => $"VERIFICATION FAILED: {b.VerifyError}",
                null => "Not verified (vigil backup verify " + b.Id + ").",
            });
        }

        return b.Status == "completed" && b.Verified != false ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string Status(string s) => s switch
    {
        "completed" => "[green]completed[/]",
        "failed" => "[red]failed[/]",
        _ => "[grey]" + Markup.Escape(s) + "[/]",
    };

    private static string Verified(BackupView b) => b.Verified switch
    {
        true => $"[green]yes[/] {CliContext.Ago(b.VerifiedAt)}",
        false => "[red]FAILED[/]",
        null => "-",
    };

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.#} KiB",
        < 1 << 30 => $"{bytes / (double)(1 << 20):0.#} MiB",
        _ => $"{bytes / (double)(1 << 30):0.##} GiB",
    };

    private static string Age(double seconds) => seconds switch
    {
        < 120 => $"{seconds:0}s",
        < 7200 => $"{seconds / 60:0}m",
        < 172800 => $"{seconds / 3600:0}h",
        _ => $"{seconds / 86400:0}d",
    };
}
