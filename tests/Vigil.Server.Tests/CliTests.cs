using Microsoft.Data.Sqlite;
using Vigil.Cli;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests;

/// <summary>The CLI in-process against a real server on loopback.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Status_Table_ShowsNameDigestStoreAndServices()
    {
        var run = await _server.CliAsync("status");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Contains("test", run.Out);
        Assert.Contains("sha256:", run.Out);
        Assert.Contains("sqlite:", run.Out);
        Assert.Contains("web", run.Out);
    }

    [Fact]
    public async Task Status_Json_IsParseable()
    {
        var run = await _server.CliAsync("status", "-o", "json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal("test", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal("web", doc.RootElement.GetProperty("services")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task TokenCreateListRevoke_ThroughCli_Works()
    {
        var created = await _server.CliAsync("token", "create", "--name", "ci-deploy", "--role", "operator", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(created.Out);
        var id = doc.RootElement.GetProperty("token").GetProperty("id").GetInt64();
        var secret = doc.RootElement.GetProperty("secret").GetString()!;

        var list = await _server.CliAsync("token", "list");
        Assert.Contains("ci-deploy", list.Out);
        Assert.DoesNotContain(secret, list.Out);

        var revoke = await _server.CliAsync("token", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "test");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());

        var denied = await _server.CliAsync("status", "--token", secret);
        Assert.Equal(ExitCodes.Auth, denied.ExitCode);
        Assert.Contains("unknown or revoked", denied.Error);
        // How to pass a valid one, not an admin-only command.
        Assert.Contains("--token or VIGIL_TOKEN", denied.Error);
        Assert.Contains("admin.token", denied.Error);
        Assert.DoesNotContain("vigil token create", denied.Error);
    }

    [Fact]
    public async Task ViewerToken_CreatingToken_ExitsAuthWithRoleSentence()
    {
        var viewer = await _server.CreateTokenAsync("viewer-cli", "viewer");
        var run = await _server.CliAsync("token", "create", "--name", "x", "--role", "admin", "--token", viewer);

        Assert.Equal(ExitCodes.Auth, run.ExitCode);
        Assert.Contains("needs role 'admin'", run.Error);
        Assert.Contains("an admin can create one with 'vigil token create --name NAME --role ROLE'", run.Error);
    }

    [Fact]
    public async Task UnreachableServer_ExitsThreeWithOneSentence()
    {
        var run = await CliRun.RunAsync(["status", "--server", "http://127.0.0.1:1", "--token", "vgl_x"], _server.Dir.Path);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("Cannot reach the Vigil server at http://127.0.0.1:1", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task NoToken_FallsBackToAdminTokenFileInDataDir()
    {
        var run = await CliRun.RunAsync(["status", "--server", _server.Address.ToString(), "--data", _server.DataDirectory], _server.Dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());

        var none = await CliRun.RunAsync(["status", "--server", _server.Address.ToString(), "--data", _server.Dir.File("elsewhere")], _server.Dir.Path);
        Assert.Equal(ExitCodes.Auth, none.ExitCode);
        Assert.Contains("No API token", none.Error);
    }

    [Fact]
    public async Task UnknownCommandOrOption_ExitsUsage()
    {
        var run = await CliRun.RunAsync(["frobnicate"], _server.Dir.Path);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var bad = await CliRun.RunAsync(["status", "-o", "yaml"], _server.Dir.Path);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
    }

    [Fact]
    public async Task AuditTail_ShowsTokenCreation()
    {
        await _server.CreateTokenAsync("audited", "viewer");
        var run = await _server.CliAsync("audit", "tail", "-n", "5");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("token.create", run.Out);
        Assert.Contains("system:bootstrap", run.Out);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2", 2)]
    [InlineData("DELETE FROM audit_log WHERE seq = 2", 2)]
    [InlineData("UPDATE audit_log SET seq = 100 WHERE seq = 1; UPDATE audit_log SET seq = 1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100", 1)]
    public async Task AuditVerify_AfterTamperingInSqlite_ExitsOneNamingTheEntry(string tamper, int entry)
    {
        await _server.CreateTokenAsync("a1", "viewer");
        await _server.CreateTokenAsync("a2", "viewer");
        var ok = await _server.CliAsync("audit", "verify");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("4 entries", ok.Out);

        await using (var c = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "vigil.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = tamper;
            cmd.ExecuteNonQuery();
        }

        var broken = await _server.CliAsync("audit", "verify");
        Assert.Equal(ExitCodes.Failed, broken.ExitCode);
        Assert.Contains($"#{entry}", broken.Error);
    }

    [Fact]
    public async Task IncidentListAndShow_ControlCharactersFromServer_PrintAsVisibleEscapes()
    {
        const string title = "db down\u001b[2J\u001b]0;owned\u0007 \u009b31m del\u007f";
        var opened = await _server.CliAsync("incident", "open", "--title", title, "--summary", "x\u001b[8mhidden", "-o", "json");
        Assert.True(opened.ExitCode == 0, opened.ToString());
        var id = System.Text.Json.JsonDocument.Parse(opened.Out).RootElement.GetProperty("incident").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var run in new[] { await _server.CliAsync("incident", "list"), await _server.CliAsync("incident", "show", id) })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            // The table's own styling may use ESC sequences; the server's text may not.
            Assert.DoesNotContain("\u001b[2J", run.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b]0;", run.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(run.Out, c => c is '\u0007' or '\u007f' or '\u009b');
            Assert.Contains("\\u001B[2J", run.Out);
            Assert.Contains("\\u009B31m", run.Out);
        }

        // JSON keeps the exact text, escaped by the serializer.
        var json = await _server.CliAsync("incident", "list", "-o", "json");
        Assert.DoesNotContain(json.Out, c => c is '\u001b' or '\u0007' or '\u007f' or '\u009b');
        Assert.Equal(title, System.Text.Json.JsonDocument.Parse(json.Out).RootElement[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task ProblemDetail_ControlCharactersFromServer_AreEscapedOnStderr()
    {
        var run = await _server.CliAsync("incident", "open", "--title", "x", "--service", "no\u001b[2Jsuch");

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Error);
        Assert.Contains("no\\u001B[2Jsuch", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncidentPir_OutputOption_IsTheFormatAndTheFileIsFile()
    {
        var opened = await _server.CliAsync("incident", "open", "--title", "pir me", "-o", "json");
        var id = System.Text.Json.JsonDocument.Parse(opened.Out).RootElement.GetProperty("incident").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var json = await _server.CliAsync("incident", "pir", id, "-o", "json");
        Assert.Equal(ExitCodes.Usage, json.ExitCode);
        Assert.Contains("--file", json.Error);
        Assert.False(File.Exists(Path.Combine(_server.Dir.Path, "json")));

        var file = _server.Dir.File("pir.md");
        var written = await _server.CliAsync("incident", "pir", id, "--file", file, "--preview");
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Contains("pir me", await File.ReadAllTextAsync(file));

        var help = await CliRun.RunAsync(["incident", "pir", "--help"], _server.Dir.Path);
        Assert.Single(help.Out.Split('\n'), l => l.TrimStart().StartsWith("-o", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "incdent", "list" }, "Unknown command 'incdent' for 'vigil'; did you mean `incident`?")]
    // "status" (a data folder here) is a command's name too, so only that command is built for this line at first:
    // the hint must still know every command.
    [InlineData(new[] { "--data", "status", "incdent", "list" }, "Unknown command 'incdent' for 'vigil'; did you mean `incident`?")]
    [InlineData(new[] { "incident", "lst" }, "Unknown command 'lst' for 'vigil incident'; did you mean `list`?")]
    [InlineData(new[] { "status", "--jsn" }, "Unknown option '--jsn' for 'vigil status'; did you mean `--json`?")]
    [InlineData(new[] { "incident", "list", "--limt", "5" }, "Unknown option '--limt' for 'vigil incident list'; did you mean `--limit`?")]
    public async Task Typo_SuggestsTheClosestCommandOrOption(string[] args, string expected)
    {
        var run = await CliRun.RunAsync(args, _server.Dir.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("Required command", run.Error);
    }

    [Theory]
    [InlineData(new[] { "status", "--tokn=vgl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
        "Unknown option '--tokn' (its value is not shown) for 'vigil status'; did you mean `--token`?")]
    [InlineData(new[] { "status", "vgl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, "Unexpected argument '[redacted]' for 'vigil status'.")]
    public async Task Mistake_WithASecretInIt_DoesNotRepeatTheSecret(string[] args, string expected)
    {
        var run = await CliRun.RunAsync(args, _server.Dir.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("AAAAAAAAAAAAAAAA", run.Error + run.Out);
    }

    [Theory]
    [InlineData(new[] { "incident", "show", "abc" }, "ID 'abc' of 'vigil incident show' is not valid: expected a whole number")]
    [InlineData(new[] { "check", "list", "-o", "yaml" }, "-o 'yaml' of 'vigil check list' is not valid: expected one of table, json")]
    [InlineData(new[] { "incident", "list", "--limit", "many" }, "--limit 'many' of 'vigil incident list' is not valid: expected a whole number")]
    [InlineData(new[] { "oncall", "--at", "tomorrow" }, "--at 'tomorrow' of 'vigil oncall' is not valid: expected a time in ISO 8601")]
    public async Task BadValue_NamesTheValueAndExpectedForm_NotADotNetType(string[] args, string expected)
    {
        var run = await CliRun.RunAsync(args, _server.Dir.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("System.", run.Error);
        Assert.DoesNotContain("Vigil.Cli", run.Error);
    }

    [Fact]
    public async Task HttpsUrl_ToPlainHttpServer_SaysUseHttp()
    {
        var port = _server.Address.Port;
        var run = await CliRun.RunAsync(["status", "--server", $"https://127.0.0.1:{port}", "--token", "vgl_x"], _server.Dir.Path);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains($"Cannot reach the Vigil server at https://127.0.0.1:{port}: ", run.Error);
        Assert.Contains($"plain HTTP on that port. Use --server http://127.0.0.1:{port}.", run.Error);
        Assert.DoesNotContain("inner exception", run.Error);
    }

    [Fact]
    public async Task HttpUrl_ToServerThatClosesWithoutAnswer_SaysUseHttps()
    {
        // What a TLS listener does with a plain-HTTP request: reads it and closes without an HTTP answer.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var seen = "";
                while (!seen.Contains("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, stop.Token) is > 0 and var n)
                {
                    seen += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
                }

                client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Both);
            }
        });

        var run = await CliRun.RunAsync(["status", "--server", $"http://127.0.0.1:{port}", "--token", "vgl_x"], _server.Dir.Path);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains($"HTTPS on that port. Use --server https://127.0.0.1:{port}.", run.Error);
    }

    [Fact]
    public async Task ConnectionRefused_SaysNothingListensAndHowToStartOne()
    {
        var port = VigilProcess.FreePort();
        var run = await CliRun.RunAsync(["status", "--server", $"http://127.0.0.1:{port}", "--token", "vgl_x"], _server.Dir.Path);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains($"at http://127.0.0.1:{port}: connection refused: nothing listens there. Start the server ('vigil serve'", run.Error);
    }

    [Fact]
    public async Task Demo_OnAPortInUse_PrintsOneLineAndExitsNonZero()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;

        var run = await CliRun.RunAsync(["demo", "--listen", $"http://127.0.0.1:{port}", "--data", _server.Dir.File("busy-demo")], _server.Dir.Path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal(
            $"vigil: Cannot listen on http://127.0.0.1:{port}: the address is already in use by another process (another Vigil?). Stop that process, or pick a free address with --listen URL.",
            run.Error.Trim());
    }

    [Fact]
    public async Task Init_IntoAMissingFolder_CreatesIt()
    {
        var path = _server.Dir.File(Path.Combine("new", "deeper", "vigil.yaml"));
        var run = await CliRun.RunAsync(["init", "-c", path], _server.Dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(path));
    }
}
