using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Status;

/// <summary><c>vigil status</c> shows backup health per service: the newest verified backup's age against the rpo, and the last failure.</summary>
public sealed class StatusBackupTests
{
    private const string Config = """
        vigil: { name: status-backups, environment: dev }
        services:
          - { id: web, rpo: 1h }
          - { id: db, rpo: 30m }
          - { id: api }
        backups:
          - id: files
            service: web
            paths: [site]
            cron: "0 3 * * *"
            encryption: { key_file: backup.key }
            paused: true
          - id: dump
            service: db
            command: [sh, -c, "echo partial; echo 'pg_dump: connection refused' >&2; exit 3"]
            cron: "0 5 * * *"
            encryption: { key_file: backup.key }
            paused: true
        """;

    [Fact]
    public async Task Status_ShowsNewestVerifiedAgeAgainstRpo_AndTheLastFailure_PerService()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("backup.key"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        Directory.CreateDirectory(dir.File("site"));
        await File.WriteAllTextAsync(dir.File("site/index.html"), "<h1>hello</h1>");
        await using var server = await TestServer.StartAsync(Config, time, dir);

        Assert.Equal(0, (await server.CliAsync("backup", "run", "files")).ExitCode);
        Assert.NotEqual(0, (await server.CliAsync("backup", "run", "dump")).ExitCode);
        time.Advance(TimeSpan.FromMinutes(20));

        var fresh = Backups(await server.CliAsync("status", "-o", "json"));
        var web = Assert.Single(fresh, b => b.Service == "web");
        Assert.Equal(["files"], web.Jobs);
        Assert.Equal((1200.0, 3600.0, true, true, null), (web.NewestVerifiedAgeSeconds, web.RpoSeconds, web.WithinRpo, web.Healthy, web.LastFailure));
        var db = Assert.Single(fresh, b => b.Service == "db");
        Assert.Null(db.NewestVerifiedAt);
        Assert.False(db.WithinRpo);
        Assert.False(db.Healthy);
        Assert.Contains("dump", db.LastFailure, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh, b => b.Service == "api");

        var table = await server.CliAsync("status");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("BACKUPS OF", table.Out, StringComparison.Ordinal);
        var text = Plain(table.Out);
        Assert.Matches(@"web\W+files\W+20m ago\W+1h\W+ok", text);
        Assert.Matches(@"db\W+dump\W+none\W+30m \(breached\)\W+failing\W+dump: ", text);

        // An hour later the website's newest verified backup is older than its rpo.
        time.Advance(TimeSpan.FromHours(1));
        var late = Assert.Single(Backups(await server.CliAsync("status", "--service", "web", "-o", "json")));
        Assert.Equal("web", late.Service);
        Assert.Equal((false, false), (late.WithinRpo, late.Healthy));
        Assert.Matches(@"web\W+files\W+1h ago\W+1h \(breached\)\W+failing", Plain((await server.CliAsync("status", "--service", "web")).Out));
    }

    private static string Plain(string output) => System.Text.RegularExpressions.Regex.Replace(output, @"\x1b\[[0-9;]*m", "");

    private static IReadOnlyList<ServiceBackupHealthView> Backups(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonSerializer.Deserialize<StatusView>(run.Out, VigilJson.Options)!.Backups!;
    }
}
