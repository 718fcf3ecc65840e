using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Tests.Incidents;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Hardening;

/// <summary>
/// The store on a real tmpfs that runs out of space or turns read-only under a running server:
/// readiness says so with the reason, intake answers 503 with Retry-After (never 500), nothing that
/// was acknowledged is lost, and paging resumes when the disk is usable again.
/// </summary>
public sealed class StoreFailureTests
{
    private static string Config(Uri hook) => $$"""
        vigil: { name: store-failure-test }
        services:
          - { id: api }
        people:
          - { id: alice, name: Alice, notify_via: [hook] }
        schedules:
          - id: primary
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice] }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
        notifiers:
          - id: hook
            webhook: { url: "{{new Uri(hook, "/hook")}}" }
        """;

    private static JsonObject Trigger(string key) => new()
    {
        ["event_action"] = "trigger",
        ["dedup_key"] = key,
        ["payload"] = new JsonObject
        {
            ["summary"] = $"{key} {new string('x', 900)}",
            ["source"] = "disk-test",
            ["severity"] = "critical",
            ["component"] = "api",
        },
    };

    [Fact]
    public async Task DiskFull_NotReadyAnd503_NothingAcknowledgedLost_PagingResumesWhenSpaceReturns()
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        using var dir = new TempDirectory();
        using var mount = TmpfsMount.Create(dir.File("data"), 6);
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config(receiver.BaseAddress));
        var server = await TestServer.StartAsync(dir: dir);
        try
        {
            using var admin = server.Admin();
            using var anonymous = server.Client();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

            mount.Fill();
            var accepted = new List<string>();
            string? refusedKey = null;
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 5000 && refused is null; i++)
            {
                var key = $"disk-{i:D4}";
                var response = await admin.PostJsonAsync(Intake.Events, Trigger(key));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted.Add(key);
                    continue;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                (refused, refusedKey) = (response, key);
            }

            Assert.NotNull(refused);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to retry");
            Assert.Contains("full", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var notReady = await anonymous.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            using (var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()))
            {
                var reasons = body.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
                Assert.Contains(reasons, r => r.StartsWith("store:", StringComparison.Ordinal) && r.Contains("full", StringComparison.Ordinal));
            }

            mount.Free();
            // The sender retries, as Alertmanager does; that real write committing makes the server ready again.
            await (await admin.PostJsonAsync(Intake.Events, Trigger(refusedKey!))).AssertSuccessAsync("the refused event, sent again");
            var ready = await anonymous.GetAsync("/readyz");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());

            // Every event that got a 2xx is there, and the one that got a 503 is there once, after its retry.
            var titles = (await admin.IncidentsAsync()).Select(i => i.Title).ToList();
            foreach (var key in accepted.Append(refusedKey!))
            {
                Assert.Single(titles, t => t.StartsWith(key + " ", StringComparison.Ordinal));
            }

            // Paging resumes: the incident opened after the disk came back is paged.
            var store = server.App.Services.GetRequiredService<IVigilStore>();
            await Eventually.UntilAsync(() => Task.FromResult(receiver.Requests.Any(r => r.BodyText.Contains(refusedKey!, StringComparison.Ordinal))),
                paged => paged, store.NextCommitAsync, TimeSpan.FromSeconds(60), $"a page for {refusedKey}");
        }
        finally
        {
            await server.App.StopAsync();
            await server.App.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadOnlyDataFolder_IsRefusedAtStart_WithTheReason_NotServedAsReady()
    {
        using var dir = new TempDirectory();
        using var mount = TmpfsMount.Create(dir.File("data"), 16);
        var server = await TestServer.StartAsync(dir: dir);
        using (var admin = server.Admin())
        {
            await (await admin.PostJsonAsync(Intake.Events, Trigger("before-ro"))).AssertSuccessAsync("before read-only");
        }

        await server.App.StopAsync();
        await server.App.DisposeAsync();

        mount.MakeReadOnly();
        var prepared = await Vigil.Server.Hosting.VigilServer.PrepareAsync(new Vigil.Server.Hosting.ServerOptions
        {
            ConfigPath = dir.File("vigil.yaml"),
            DataDirectory = dir.File("data"),
            Listen = "http://127.0.0.1:0",
        }, CancellationToken.None);

        Assert.Null(prepared.App);
        var error = Assert.Single(prepared.Errors);
        Assert.Contains("cannot write its data folder", error, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", error, StringComparison.OrdinalIgnoreCase);

        // Writable again, the store and what it acknowledged are all there.
        mount.MakeWritable();
        var again = await TestServer.StartAsync(dir: dir);
        try
        {
            using var admin = again.Admin();
            Assert.Single(await admin.IncidentsAsync(), i => i.Title.StartsWith("before-ro ", StringComparison.Ordinal));
        }
        finally
        {
            await again.App.StopAsync();
            await again.App.DisposeAsync();
        }
    }
}
