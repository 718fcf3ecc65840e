using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Audit;
using Vigil.Server.Api;
using Vigil.Server.Config;
using Vigil.Server.Http;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests;

public sealed class ConfigReloadTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ValidEdit_IsPickedUpByTheWatcher_AndAudited()
    {
        using var admin = _server.Admin();
        var before = await Status(admin);

        await File.WriteAllTextAsync(_server.ConfigPath, TestServer.MinimalConfig.Replace("name: test", "name: renamed", StringComparison.Ordinal));

        var after = await WaitFor(admin, s => s.Name == "renamed");
        Assert.NotEqual(before.ConfigDigest, after.ConfigDigest);
        Assert.Null(after.LastReloadFailure);
        var audit = await admin.GetFromJsonAsync<List<AuditEntry>>("/api/v1/audit?tail=5", VigilJson.Options);
        var entry = Assert.Single(audit!, e => e.Action == "config.reload");
        Assert.Equal("system:config-watcher", entry.Actor);
        Assert.Contains(before.ConfigDigest, entry.Before);
        Assert.Contains(after.ConfigDigest, entry.After);
    }

    [Fact]
    public async Task InvalidEdit_KeepsLastGoodConfig_AndShowsErrorInStatusAndReadyz()
    {
        using var admin = _server.Admin();
        var before = await Status(admin);

        await File.WriteAllTextAsync(_server.ConfigPath, TestServer.MinimalConfig + "\n    colour: blue\n");
        var response = await admin.PostAsync("/api/v1/config/reload", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<ReloadView>(VigilJson.Options);
        Assert.Equal(ReloadOutcome.Rejected, view!.Outcome);
        Assert.Equal(before.ConfigDigest, view.Digest);
        Assert.Contains(view.Errors, e => e.Contains("colour", StringComparison.Ordinal) && e.Contains(":7:", StringComparison.Ordinal));

        var status = await Status(admin);
        Assert.Equal("test", status.Name);
        Assert.Equal(before.ConfigDigest, status.ConfigDigest);
        Assert.NotNull(status.LastReloadFailure);

        using var anonymous = _server.Client();
        var readyz = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        using var doc = JsonDocument.Parse(await readyz.Content.ReadAsStringAsync());
        // Unauthenticated: when and how many, never the errors themselves (they quote the file).
        var reloadError = doc.RootElement.GetProperty("config").GetProperty("lastReloadError");
        Assert.Equal(1, reloadError.GetProperty("errorCount").GetInt32());
        Assert.DoesNotContain("colour", doc.RootElement.GetRawText(), StringComparison.Ordinal);

        var cli = await _server.CliAsync("status");
        Assert.Contains("reload rejected", cli.Out);

        // Fixing the file clears the error.
        await File.WriteAllTextAsync(_server.ConfigPath, TestServer.MinimalConfig);
        var fixedStatus = await WaitFor(admin, s => s.LastReloadFailure is null);
        Assert.Equal(before.ConfigDigest, fixedStatus.ConfigDigest);
    }

    [Fact]
    public async Task CommentOnlyEdit_IsUnchanged_NoAuditEntry()
    {
        using var admin = _server.Admin();
        await File.WriteAllTextAsync(_server.ConfigPath, "# a comment\n" + TestServer.MinimalConfig + "\n# another\n");

        var response = await admin.PostAsync("/api/v1/config/reload", null);
        var view = await response.Content.ReadFromJsonAsync<ReloadView>(VigilJson.Options);

        Assert.Equal(ReloadOutcome.Unchanged, view!.Outcome);
        var audit = await admin.GetFromJsonAsync<List<AuditEntry>>("/api/v1/audit?tail=10", VigilJson.Options);
        Assert.DoesNotContain(audit!, e => e.Action == "config.reload");
    }

    [Fact]
    public async Task Reload_ByViewer_IsForbidden()
    {
        var viewer = await _server.CreateTokenAsync("reload-viewer", "viewer");
        using var client = _server.Client(viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/config/reload", null)).StatusCode);
    }

    private static async Task<StatusView> Status(HttpClient client) =>
        (await client.GetFromJsonAsync<StatusView>("/api/v1/status", VigilJson.Options))!;

    /// <summary>Until the status shows the edit; the watcher reacts to file events or its 2 s poll.</summary>
    private Task<StatusView> WaitFor(HttpClient client, Func<StatusView, bool> condition) =>
        Eventually.ValueAsync(async () => await Status(client) is var s && condition(s) ? s : null,
            _server.App.Services.GetRequiredService<ConfigState>().NextReloadAsync, TimeSpan.FromSeconds(30), "the config watcher applying the edit");
}
