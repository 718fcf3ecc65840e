using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Hardening;

/// <summary>The data folder and the store file: one server per folder, owner-only modes, and refusals instead of silent data loss.</summary>
public sealed class DataFolderTests
{
    private static Task<StartResult> PrepareAsync(TempDirectory dir, string listen = "http://127.0.0.1:0") =>
        VigilServer.PrepareAsync(new ServerOptions { ConfigPath = dir.File("vigil.yaml"), DataDirectory = dir.File("data"), Listen = listen }, CancellationToken.None);

    private static JsonObject Trigger(string key) => new()
    {
        ["event_action"] = "trigger",
        ["dedup_key"] = key,
        ["payload"] = new JsonObject { ["summary"] = key, ["source"] = "test", ["severity"] = "critical" },
    };

    [Fact]
    public async Task SecondServer_OnTheSameDataFolder_IsRefused_NamingTheHolder()
    {
        using var dir = new TempDirectory();
        var first = await TestServer.StartAsync(dir: dir);
        try
        {
            var second = await PrepareAsync(dir);

            Assert.Null(second.App);
            var error = Assert.Single(second.Errors);
            Assert.Contains("already using the data folder", error, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId}", error, StringComparison.Ordinal);
            // The first server is untouched and still ready.
            using var anonymous = first.Client();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            await first.App.StopAsync();
            await first.App.DisposeAsync();
        }

        // Once the first has stopped, the folder is free again.
        var third = await PrepareAsync(dir);
        Assert.True(third.App is not null, string.Join("\n", third.Errors));
        await third.App.DisposeAsync();
    }

    [Fact]
    public async Task SecondServer_AsAChildProcess_IsRefused_WhileTheFirstRuns()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), TestServer.MinimalConfig);
        await using var first = await TestServer.StartAsync(dir: dir);

        var run = await CliRun.RunAsync(["serve", "-c", dir.File("vigil.yaml"), "--data", dir.File("data"), "--listen", "http://127.0.0.1:0"], dir.Path);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("already using the data folder", run.Error + run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFolder_Is0700_AndDatabaseFiles_Are0600()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("data"));
        File.SetUnixFileMode(dir.File("data"), (UnixFileMode)Convert.ToInt32("755", 8));
        await using var server = await TestServer.StartAsync(dir: dir);
        using (var admin = server.Admin())
        {
            await (await admin.PostJsonAsync(Intake.Events, Trigger("perm"))).AssertSuccessAsync("an event, so the WAL exists");
        }

        Assert.Equal("700", Mode(dir.File("data")));
        foreach (var file in new[] { "vigil.db", "vigil.db-wal", "vigil.db-shm", "vigil.db-marker", "admin.token", "vigil.lock" })
        {
            Assert.True(File.Exists(dir.File("data/" + file)), file + " exists");
            Assert.Equal("600", Mode(dir.File("data/" + file)));
        }
    }

    [Fact]
    public async Task CorruptDatabase_IsRefusedAtStart_WithTheIntegrityCheckResult()
    {
        using var dir = new TempDirectory();
        var server = await TestServer.StartAsync(dir: dir);
        using (var admin = server.Admin())
        {
            for (var i = 0; i < 50; i++)
            {
                await (await admin.PostJsonAsync(Intake.Events, Trigger($"row-{i}"))).AssertSuccessAsync("an event");
            }
        }

        await server.App.StopAsync();
        await server.App.DisposeAsync();

        // Scribble over the middle of the file: the header stays valid, some b-tree pages do not.
        var db = dir.File("data/vigil.db");
        var length = new FileInfo(db).Length;
        Assert.True(length > 16 * 4096, $"the database has pages to corrupt ({length} bytes)");
        await using (var stream = new FileStream(db, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 4096 * 3;
            var junk = Enumerable.Repeat((byte)0xA5, 4096 * 8).ToArray();
            await stream.WriteAsync(junk);
        }

        var prepared = await PrepareAsync(dir);

        Assert.Null(prepared.App);
        var error = Assert.Single(prepared.Errors);
        Assert.Contains(db, error, StringComparison.Ordinal);
        Assert.True(error.Contains("integrity check", StringComparison.Ordinal) || error.Contains("corrupt", StringComparison.Ordinal), error);
        Assert.Contains("backup", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDatabase_WhereAStoreExisted_IsRefused_NotRecreatedWithANewAdminToken()
    {
        using var dir = new TempDirectory();
        var server = await TestServer.StartAsync(dir: dir);
        var token = server.AdminToken;
        await server.App.StopAsync();
        await server.App.DisposeAsync();

        foreach (var f in Directory.GetFiles(dir.File("data"), "vigil.db*").Where(f => !f.EndsWith("-marker", StringComparison.Ordinal)))
        {
            File.Delete(f);
        }

        var prepared = await PrepareAsync(dir);

        Assert.Null(prepared.App);
        Assert.Contains("is missing", Assert.Single(prepared.Errors), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("data/vigil.db")), "no empty store was created in its place");
        Assert.Equal(token, (await File.ReadAllTextAsync(dir.File("data/admin.token"))).Trim());
    }

    [Fact]
    public async Task DatabaseDeletedWhileRunning_EventsAre503_NotAcceptedAndLost_AndNotReady()
    {
        using var dir = new TempDirectory();
        await using var server = await TestServer.StartAsync(dir: dir);
        using var admin = server.Admin();
        using var anonymous = server.Client();
        await (await admin.PostJsonAsync(Intake.Events, Trigger("before"))).AssertSuccessAsync("before");

        foreach (var f in Directory.GetFiles(dir.File("data"), "vigil.db*").Where(f => !f.EndsWith("-marker", StringComparison.Ordinal)))
        {
            File.Delete(f);
        }

        var response = await admin.PostJsonAsync(Intake.Events, Trigger("after"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("removed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(File.Exists(dir.File("data/vigil.db")), "no fresh database was created behind the server's back");
    }

    [Fact]
    public async Task AdminToken_FromAFirstStartThatFailed_IsShownOnTheNextSuccessfulStart()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), TestServer.MinimalConfig);
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var failed = await PrepareAsync(dir, $"http://127.0.0.1:{port}");
        var token = failed.NewAdminToken;
        Assert.NotNull(token);
        await Assert.ThrowsAnyAsync<IOException>(() => failed.App!.StartAsync());
        await failed.App!.DisposeAsync();

        var next = await PrepareAsync(dir);
        Assert.Equal(token, next.NewAdminToken);
        await next.App!.StartAsync();
        await next.App.StopAsync();
        await next.App.DisposeAsync();

        // Shown once a start succeeded: not again.
        var third = await PrepareAsync(dir);
        Assert.Null(third.NewAdminToken);
        await third.App!.DisposeAsync();
    }

    [Fact]
    public async Task UnreadableConfig_MakesTheServerNotReady_WithTheReason()
    {
        using var dir = new TempDirectory();
        await using var server = await TestServer.StartAsync(dir: dir);
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

        File.Move(server.ConfigPath, server.ConfigPath + ".moved");

        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Contains(body.RootElement.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("config:", StringComparison.Ordinal));
    }

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path) & 0x1FF, 8);
}
