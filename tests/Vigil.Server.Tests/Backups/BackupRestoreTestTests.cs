using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Backups;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Backups;

/// <summary>Restore tests restore into a temporary folder and run the job's command there; a failure opens an incident, the next success resolves it.</summary>
public sealed class BackupRestoreTestTests
{
    [Fact]
    public async Task RestoreTest_Fails_OpensAnIncident_NextSuccessResolvesIt()
    {
        var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("backup.key"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        Directory.CreateDirectory(dir.File("site"));
        await File.WriteAllTextAsync(dir.File("site/index.html"), "<h1>hello</h1>");
        var config = $$"""
            vigil: { name: restore-test, environment: dev }
            services:
              - { id: web }
            backups:
              - id: files
                service: web
                paths: [site]
                cron: "0 3 * * *"
                encryption: { key_file: backup.key }
                restore_test: { cron: "0 6 * * *", command: [sh, -c, "test -f site/index.html && test ! -e '{{dir.File("fail")}}'"] }
            """;
        await using var server = await TestServer.StartAsync(config, dir: dir);
        var engine = server.App.Services.GetRequiredService<BackupEngine>();
        var job = engine.FindJob("files")!;
        Assert.Equal(0, (await server.CliAsync("backup", "run", "files")).ExitCode);

        await File.WriteAllTextAsync(dir.File("fail"), "");
        var failed = await engine.RestoreTestAsync(job, "test", CancellationToken.None);
        Assert.False(failed.Value!.Ok);
        Assert.Contains("in the restored folder failed (exit code 1", failed.Value.Detail, StringComparison.Ordinal);
        // The signal is submitted through the intake queue, which answers after its batch committed.
        var incident = Assert.Single(await IncidentsAsync(server), i => i.Status == "triggered");
        Assert.Equal("web", incident.Service);
        Assert.Contains("restore test failed", incident.Title, StringComparison.Ordinal);

        File.Delete(dir.File("fail"));
        var passed = await engine.RestoreTestAsync(job, "test", CancellationToken.None);
        Assert.True(passed.Value!.Ok, passed.Value.Detail);
        Assert.Equal("resolved", (await IncidentsAsync(server)).Single(i => i.Id == incident.Id).Status);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(server.DataDirectory, "backups"), ".restore-test-*"));

        var jobs = await server.CliAsync("backup", "jobs", "-o", "json");
        Assert.Contains("\"healthy\": true", jobs.Out, StringComparison.Ordinal);
    }

    private sealed record IncidentRow(long Id, string Status, string? Service, string Title);

    private static async Task<List<IncidentRow>> IncidentsAsync(TestServer server)
    {
        using var admin = server.Admin();
        using var doc = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/incidents"));
        var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("items");
        return items.EnumerateArray().Select(i => new IncidentRow(i.GetProperty("id").GetInt64(), i.GetProperty("status").GetString()!,
            i.TryGetProperty("service", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null, i.GetProperty("title").GetString()!)).ToList();
    }
}
