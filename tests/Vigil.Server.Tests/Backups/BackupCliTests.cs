using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Backups;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Backups;

/// <summary>
/// Backup jobs end to end: a real server on 127.0.0.1, the CLI, real files and child processes in a temp
/// folder, artifacts on disk that the tests damage the way a disk or an attacker would.
/// </summary>
public sealed class BackupCliTests
{
    private const string Config = """
        vigil: { name: backup-test, environment: dev }
        services:
          - { id: web }
        backups:
          - id: files
            service: web
            paths: [site]
            exclude: ["**/*.tmp"]
            cron: "0 3 * * *"
            keep: { last: 2, daily: 3 }
            encryption: { key_file: backup.key }
            paused: true                 # the fake clock passes 03:00: the scheduler must not run it meanwhile
          - id: dump
            command: [sh, -c, "seq 1 200000; echo done >&2"]
            cron: "0 4 * * *"
            compression: none
            encryption: { key_file: backup.key }
          - id: broken
            command: [sh, -c, "echo partial; echo 'pg_dump: connection refused' >&2; exit 3"]
            cron: "0 5 * * *"
            encryption: { key_file: backup.key }   # zstd over the cipher: the layers a failed run must close itself
        """;

    private static async Task<TestServer> StartAsync(TimeProvider? time = null)
    {
        var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("backup.key"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        Directory.CreateDirectory(dir.File("site/css"));
        Directory.CreateDirectory(dir.File("site/sub"));
        await File.WriteAllTextAsync(dir.File("site/index.html"), "<h1>hello</h1>");
        await File.WriteAllTextAsync(dir.File("site/css/a.css"), "body { color: red }");
        await File.WriteAllTextAsync(dir.File("site/sub/b.txt"), string.Concat(Enumerable.Repeat("bbb\n", 50_000)));
        await File.WriteAllTextAsync(dir.File("site/cache.tmp"), "left out");
        return await TestServer.StartAsync(Config, time, dir);
    }

    private static T Json<T>(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonSerializer.Deserialize<T>(run.Out, VigilJson.Options)!;
    }

    [Fact]
    public async Task PathsJob_RunListVerifyRestore_DryRunAndOnly()
    {
        await using var server = await StartAsync();

        var taken = Json<BackupView>(await server.CliAsync("backup", "run", "files", "-o", "json"));
        Assert.Equal("completed", taken.Status);
        Assert.True(taken.Verified, taken.VerifyError);
        Assert.Equal("aes-256-gcm-chunked", taken.Cipher);
        Assert.Equal(3, taken.Files);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "backups", "files", taken.Id + ".vbk")));
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "backups", "files", taken.Id + ".manifest.json")));

        var listed = Json<List<BackupView>>(await server.CliAsync("backup", "list", "files", "-o", "json"));
        Assert.Equal(taken.Id, Assert.Single(listed).Id);
        Assert.True(listed[0].Verified);
        var table = await server.CliAsync("backup", "list");
        Assert.Contains(taken.Id, table.Out, StringComparison.Ordinal);
        Assert.Contains("yes", table.Out, StringComparison.Ordinal);

        var verified = Json<BackupVerifyView>(await server.CliAsync("backup", "verify", taken.Id, "-o", "json"));
        Assert.True(verified.Ok, string.Join("; ", verified.Problems));
        // The manifest is signed with Vigil's signing key; after a rotation the old key still vouches for it.
        var manifest = BackupManifest.TryParse(await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "backups", "files", taken.Id + ".manifest.json")), out _)!;
        Assert.Equal(BackupManifest.SignatureAlgorithm, manifest.Signature!.Algorithm);
        Assert.Equal(0, (await server.CliAsync("keys", "rotate", "--reason", "yearly rotation")).ExitCode);
        var afterRotation = Json<BackupVerifyView>(await server.CliAsync("backup", "verify", taken.Id, "-o", "json"));
        Assert.True(afterRotation.Ok, string.Join("; ", afterRotation.Problems));

        var dry = Json<BackupRestoreView>(await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("dry"), "--dry-run", "-o", "json"));
        Assert.Contains(dry.Files, f => f.Path == "site/index.html");
        Assert.DoesNotContain(dry.Files, f => f.Path.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.False(Directory.Exists(server.Dir.File("dry")));

        var only = await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("only"), "--only", "site/sub");
        Assert.True(only.ExitCode == 0, only.ToString());
        Assert.Equal(await File.ReadAllTextAsync(server.Dir.File("site/sub/b.txt")), await File.ReadAllTextAsync(server.Dir.File("only/site/sub/b.txt")));
        Assert.False(File.Exists(server.Dir.File("only/site/index.html")));

        var full = await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("full"));
        Assert.True(full.ExitCode == 0, full.ToString());
        Assert.Equal("body { color: red }", await File.ReadAllTextAsync(server.Dir.File("full/site/css/a.css")));
        Assert.False(File.Exists(server.Dir.File("full/site/cache.tmp")));

        var again = await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("full"));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is not empty; restore into a new or empty folder", again.Error, StringComparison.Ordinal);

        using var admin = server.Admin();
        var audit = await admin.GetStringAsync("/api/v1/audit?tail=200");
        Assert.Contains("backup.run", audit, StringComparison.Ordinal);
        Assert.Contains("backup.verified", audit, StringComparison.Ordinal);
        Assert.Contains("backup.restored", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandJob_StdoutIsTheBackup_RestoresByteForByte_AndAFailedCommandIsRecorded()
    {
        await using var server = await StartAsync();

        var taken = Json<BackupView>(await server.CliAsync("backup", "run", "dump", "-o", "json"));
        Assert.True(taken.Verified, taken.VerifyError);
        Assert.Equal("command", taken.SourceKind);

        var dry = Json<BackupRestoreView>(await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("r"), "--dry-run", "-o", "json"));
        Assert.Equal("dump.out", Assert.Single(dry.Files).Path);
        var onlyRefused = await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("r"), "--only", "x");
        Assert.Equal(1, onlyRefused.ExitCode);
        Assert.Contains("--only picks files from a paths backup", onlyRefused.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await server.CliAsync("backup", "restore", taken.Id, "--to", server.Dir.File("r"))).ExitCode);
        var expected = string.Join("\n", Enumerable.Range(1, 200000)) + "\n";
        Assert.Equal(expected, await File.ReadAllTextAsync(server.Dir.File("r/dump.out")));

        var failed = await server.CliAsync("backup", "run", "broken", "-o", "json");
        Assert.Equal(1, failed.ExitCode);
        var view = JsonSerializer.Deserialize<BackupView>(failed.Out, VigilJson.Options)!;
        Assert.Equal("failed", view.Status);
        Assert.Contains("exit code 3: pg_dump: connection refused", view.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "backups"), "broken*", SearchOption.AllDirectories));
        // The failed run's stream layers were closed with it: left to the finalizer, the zstd layer
        // closed the cipher layer, which wrote to the closed file and ended the process.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(0, (await server.CliAsync("backup", "list")).ExitCode);

        var unknown = await server.CliAsync("backup", "run", "nope");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("jobs are files, dump, broken", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FlippedByte_WrongKey_MissingManifest_EachFailWithAClearReason()
    {
        await using var server = await StartAsync();
        var folder = Path.Combine(server.DataDirectory, "backups", "files");
        var a = Json<BackupView>(await server.CliAsync("backup", "run", "files", "-o", "json"));
        var b = Json<BackupView>(await server.CliAsync("backup", "run", "files", "-o", "json"));
        var c = Json<BackupView>(await server.CliAsync("backup", "run", "files", "-o", "json"));

        var artifact = Path.Combine(folder, a.Id + ".vbk");
        var bytes = await File.ReadAllBytesAsync(artifact);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(artifact, bytes);
        var flipped = await server.CliAsync("backup", "verify", a.Id);
        Assert.Equal(1, flipped.ExitCode);
        Assert.Contains("stored bytes do not match the manifest", flipped.Out, StringComparison.Ordinal);
        Assert.Contains("authentication failed at chunk 0", flipped.Out, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, b.Id + ".manifest.json"));
        var missing = Json<BackupVerifyView>(await server.CliAsync("backup", "verify", b.Id, "-o", "json") with { ExitCode = 0 });
        Assert.False(missing.Ok);
        Assert.Contains($"the manifest {b.Id}.manifest.json is missing", Assert.Single(missing.Problems), StringComparison.Ordinal);

        await File.WriteAllTextAsync(server.Dir.File("backup.key"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var wrong = Json<BackupVerifyView>(await server.CliAsync("backup", "verify", c.Id, "-o", "json") with { ExitCode = 0 });
        Assert.False(wrong.Ok);
        Assert.StartsWith($"wrong key: the artifact was encrypted with key {c.KeyId}", Assert.Single(wrong.Problems), StringComparison.Ordinal);

        var listed = Json<List<BackupView>>(await server.CliAsync("backup", "list", "files", "-o", "json"));
        Assert.All(listed, l => Assert.False(l.Verified));
        Assert.Contains("wrong key", listed.Single(l => l.Id == c.Id).VerifyError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_GfsOnAFakeClock_DryRunRemovesNothing_ThenRemovesWhatNoRuleKeeps()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));
        await using var server = await StartAsync(time);
        var ids = new List<string>();
        foreach (var step in new[] { TimeSpan.Zero, TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(1) })
        {
            time.Advance(step);
            ids.Add(Json<BackupView>(await server.CliAsync("backup", "run", "files", "--no-verify", "-o", "json")).Id);
        }

        // Mar 1 02:00 and 03:00, Mar 2, 3, 4 03:00: last 2 keeps Mar 4 and 3, daily 3 adds Mar 2; both of Mar 1 go.
        var dry = Json<BackupPruneView>(await server.CliAsync("backup", "prune", "files", "--dry-run", "-o", "json"));
        Assert.Equal([ids[4], ids[3], ids[2]], dry.Decisions.Where(d => d.Keep).Select(d => d.Id));
        Assert.Equal(["last", "daily 2026-03-04"], dry.Decisions[0].Reasons);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(server.DataDirectory, "backups", "files")).Length);

        var pruned = Json<BackupPruneView>(await server.CliAsync("backup", "prune", "files", "-o", "json"));
        Assert.False(pruned.DryRun);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(server.DataDirectory, "backups", "files")).Length);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "backups", "files", ids[0] + ".vbk")));
        var listed = Json<List<BackupView>>(await server.CliAsync("backup", "list", "files", "-o", "json"));
        Assert.Equal([ids[4], ids[3], ids[2]], listed.Select(l => l.Id));
        var all = Json<List<BackupView>>(await server.CliAsync("backup", "list", "files", "--pruned", "-o", "json"));
        Assert.Equal(["pruned", "pruned"], all.Where(l => l.Id == ids[0] || l.Id == ids[1]).Select(l => l.Status));
    }
}
