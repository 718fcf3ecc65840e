using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Config;

/// <summary><c>vigil config digest --expect</c> and <c>vigil config diff</c> against a real running server.</summary>
public sealed class ConfigDriftCliTests : IAsyncLifetime
{
    private const string Running = """
        vigil: { name: drift, environment: dev }
        services:
          - id: api
            checks:
              - { id: health, every: 1h, http: { url: "http://127.0.0.1:1/health" } }
          - id: web
        notifiers:
          - id: hook
            webhook: { url: "http://127.0.0.1:1/hook", secret: "running-secret-4411" }
        """;

    // api's check runs more often, web is gone, db and a maintenance section are new, and the hook's secret changed.
    private const string Edited = """
        vigil: { name: drift, environment: dev }
        services:
          - id: api
            checks:
              - { id: health, every: 30m, http: { url: "http://127.0.0.1:1/health" } }
          - id: db
        notifiers:
          - id: hook
            webhook: { url: "http://127.0.0.1:1/hook", secret: "edited-secret-9922" }
        maintenance:
          - { id: patching, cron: "0 2 * * SUN", duration: 2h, services: ["*"] }
        """;

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Running);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> LocalDigestAsync(string path)
    {
        var run = await _server.CliAsync("config", "digest", "-c", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Out.Trim();
    }

    [Fact]
    public async Task DigestExpect_RunningDigest_ExitsZero()
    {
        var digest = await LocalDigestAsync(_server.ConfigPath);

        var run = await _server.CliAsync("config", "digest", "--expect", digest);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"The running config is {digest}, as expected.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DigestExpect_FileWithExpectedDigest_ExitsOneNamingSectionsWithoutSecrets()
    {
        var edited = _server.Dir.File("edited.yaml");
        await File.WriteAllTextAsync(edited, Edited);
        var expected = await LocalDigestAsync(edited);

        var run = await _server.CliAsync("config", "digest", "-c", edited, "--expect", expected);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"expected {expected}", run.Out, StringComparison.Ordinal);
        var lines = run.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("  added    maintenance", lines);
        Assert.Contains("  changed  notifiers", lines);
        Assert.Contains("    changed  notifiers/hook", lines);
        Assert.Contains("  changed  services", lines);
        Assert.Contains("    changed  services/api", lines);
        Assert.Contains("    added    services/db", lines);
        Assert.Contains("    removed  services/web", lines);
        Assert.DoesNotContain(lines, l => l.Contains("vigil", StringComparison.Ordinal) && l.StartsWith("  ", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DigestExpect_NoFileWithThatDigest_ExitsOneAndSaysHowToNameSections()
    {
        var other = "sha256:" + new string('0', 64);

        var run = await _server.CliAsync("config", "digest", "-c", _server.ConfigPath, "--expect", other);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Drift: the server runs sha256:", run.Out, StringComparison.Ordinal);
        Assert.Contains("cannot be named", run.Error, StringComparison.Ordinal);
        Assert.Contains("vigil config diff -c FILE", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("sha256:ABC")]
    public async Task DigestExpect_NotADigest_ExitsUsageSayingTheShape(string expected)
    {
        var run = await _server.CliAsync("config", "digest", "--expect", expected);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("sha256: and 64 lowercase hex digits", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_EditedFile_ExitsOneListingSectionsInTableAndJson()
    {
        var edited = _server.Dir.File("edited.yaml");
        await File.WriteAllTextAsync(edited, Edited);

        var table = await _server.CliAsync("config", "diff", "-c", edited);
        var json = await _server.CliAsync("config", "diff", "-c", edited, "-o", "json");

        Assert.True(table.ExitCode == 1, table.ToString());
        Assert.Contains("    removed  services/web", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", table.Out + table.Error + json.Out, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 1, json.ToString());
        using var doc = JsonDocument.Parse(json.Out);
        Assert.False(doc.RootElement.GetProperty("same").GetBoolean());
        var sections = doc.RootElement.GetProperty("sections").EnumerateArray()
            .Select(s => $"{s.GetProperty("change").GetString()} {s.GetProperty("section").GetString()}").ToList();
        Assert.Equal(["added maintenance", "changed notifiers", "changed notifiers/hook", "changed services", "changed services/api", "added services/db", "removed services/web"],
            sections);
    }

    [Fact]
    public async Task Diff_TheRunningFileReformatted_ExitsZero()
    {
        var same = _server.Dir.File("same.yaml");
        await File.WriteAllTextAsync(same, "# reformatted\n" + Running.Replace("every: 1h", "every: 60m", StringComparison.Ordinal));

        var run = await _server.CliAsync("config", "diff", "-c", same);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("matches the running config", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_InvalidFile_ExitsUsageWithTheError()
    {
        var bad = _server.Dir.File("bad.yaml");
        await File.WriteAllTextAsync(bad, "vigil: { name: x }\nservics: []\n");

        var run = await _server.CliAsync("config", "diff", "-c", bad);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("bad.yaml", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DigestEndpoint_AsViewer_GivesSectionDigestsAndNoValues()
    {
        var viewer = await _server.CreateTokenAsync("drift-viewer", "viewer");
        using var client = _server.Client(viewer);

        var body = await client.GetStringAsync("/api/v1/config/digest");
        var view = JsonSerializer.Deserialize<ConfigDigestView>(body, VigilJson.Options)!;

        Assert.Equal(await LocalDigestAsync(_server.ConfigPath), view.Digest);
        Assert.Contains("services/api", view.Sections.Keys);
        Assert.Contains("notifiers/hook", view.Sections.Keys);
        Assert.DoesNotContain("running-secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
    }
}
