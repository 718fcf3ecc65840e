using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Backups;

/// <summary>
/// The S3 destination against a real S3-compatible server (s3rver on loopback): the same CLI path as the
/// local-folder tests, with the artifacts and manifests living only in the bucket.
/// </summary>
public sealed class BackupS3Tests
{
    private static string Config(S3Server s3) => $$"""
        vigil: { name: backup-s3-test, environment: dev }
        services:
          - { id: web }
        backups:
          - id: files
            service: web
            paths: [site]
            cron: "0 3 * * *"
            keep: { last: 1 }
            encryption: { key_file: backup.key }
            paused: true
            destination:
              s3:
                bucket: {{S3Server.Bucket}}
                prefix: nightly/files/
                endpoint: "{{s3.Endpoint}}"
                access_key_env: {{S3Server.AccessKeyEnv}}
                secret_key_env: {{S3Server.SecretKeyEnv}}
        """;

    private static T Json<T>(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonSerializer.Deserialize<T>(run.Out, VigilJson.Options)!;
    }

    [Fact]
    public async Task PathsJob_ToS3_RunListVerifyRestorePrune_ThroughTheBucket()
    {
        await using var s3 = await S3Server.StartAsync();
        var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("backup.key"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        Directory.CreateDirectory(dir.File("site/sub"));
        await File.WriteAllTextAsync(dir.File("site/index.html"), "<h1>hello</h1>");
        // Larger than one cipher chunk and one socket buffer, so the stream is read in many pieces from S3.
        await File.WriteAllTextAsync(dir.File("site/sub/b.txt"), string.Concat(Enumerable.Repeat("bbb\n", 300_000)));
        await using var server = await TestServer.StartAsync(Config(s3), dir: dir);

        var first = Json<BackupView>(await server.CliAsync("backup", "run", "files", "-o", "json"));
        Assert.True(first.Verified, first.VerifyError + "\n" + s3.Log);
        Assert.Contains($"s3://{S3Server.Bucket}/nightly/files/", first.Destination, StringComparison.Ordinal);
        Assert.Equal([$"nightly/files/{first.Id}.manifest.json", $"nightly/files/{first.Id}.vbk"], s3.Keys("nightly/"));
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "backups", "files")), "nothing is kept locally for an S3 job");

        var listed = Json<List<BackupView>>(await server.CliAsync("backup", "list", "files", "-o", "json"));
        Assert.Equal(first.Id, Assert.Single(listed).Id);
        Assert.True(listed[0].Verified);

        var verified = Json<BackupVerifyView>(await server.CliAsync("backup", "verify", first.Id, "-o", "json"));
        Assert.True(verified.Ok, string.Join("; ", verified.Problems));

        var dry = Json<BackupRestoreView>(await server.CliAsync("backup", "restore", first.Id, "--to", dir.File("dry"), "--dry-run", "-o", "json"));
        Assert.Contains(dry.Files, f => f.Path == "site/index.html");
        Assert.Contains(dry.Files, f => f.Path == "site/sub/b.txt" && f.Size == 1_200_000);
        var restore = await server.CliAsync("backup", "restore", first.Id, "--to", dir.File("restored"));
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(await File.ReadAllTextAsync(dir.File("site/sub/b.txt")), await File.ReadAllTextAsync(dir.File("restored/site/sub/b.txt")));
        Assert.Equal("<h1>hello</h1>", await File.ReadAllTextAsync(dir.File("restored/site/index.html")));

        // A flipped byte in the bucket is caught when verify reads the object back.
        var second = Json<BackupView>(await server.CliAsync("backup", "run", "files", "-o", "json"));
        Assert.Equal(4, s3.Keys("nightly/").Count);

        var pruned = Json<BackupPruneView>(await server.CliAsync("backup", "prune", "files", "-o", "json"));
        Assert.Equal([second.Id], pruned.Decisions.Where(d => d.Keep).Select(d => d.Id));
        Assert.Equal([$"nightly/files/{second.Id}.manifest.json", $"nightly/files/{second.Id}.vbk"], s3.Keys("nightly/"));
        var after = Json<List<BackupView>>(await server.CliAsync("backup", "list", "files", "-o", "json"));
        Assert.Equal(second.Id, Assert.Single(after).Id);

        var stored = Path.Combine(s3.Root, S3Server.Bucket, "nightly", "files", second.Id + ".vbk._S3rver_object");
        var bytes = await File.ReadAllBytesAsync(stored);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(stored, bytes);
        var damaged = Json<BackupVerifyView>(await server.CliAsync("backup", "verify", second.Id, "-o", "json") with { ExitCode = 0 });
        Assert.False(damaged.Ok);
        Assert.Contains(damaged.Problems, p => p.Contains("stored bytes do not match the manifest", StringComparison.Ordinal));
    }
}
