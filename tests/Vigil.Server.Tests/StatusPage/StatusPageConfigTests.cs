using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Checks;
using Vigil.Server.StatusPage;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Sqlite;

namespace Vigil.Server.Tests.StatusPage;

/// <summary>The status page's config against a real server: its path, turning it off by a reload, and uptime bars read from stored rollups.</summary>
public sealed class StatusPageConfigTests
{
    private const string Config = """
        vigil: { name: acme, environment: dev }
        services:
          - id: api
            name: API
            public: true
            checks:
              - { id: health, heartbeat: { period: 1d, grace: 1h } }
        status_page:
          path: /public/health
        """;

    [Fact]
    public async Task StoredRollups_BeforeStart_BecomeUptimeBarsAndBadge_AtTheConfiguredPath()
    {
        using var dir = new TempDirectory();
        var now = TimeProvider.System.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        Directory.CreateDirectory(dir.File("data"));
        await using (var store = new SqliteVigilStore(dir.File("data/vigil.db"), TimeProvider.System))
        {
            await store.MigrateAsync(CancellationToken.None);
            await store.RecordAsync(async (s, c) =>
            {
                // Yesterday: 4 results, 1 failed (75 %); ten days ago: 2 results, both passed.
                foreach (var (hour, states) in new[] { (today.AddDays(-1).AddHours(3), "okok-crit-ok"), (today.AddDays(-10).AddHours(5), "okok") })
                {
                    var bucket = new HistoryBucket("api/health", hour);
                    var samples = states == "okok"
                        ? new[] { HealthState.Ok, HealthState.Ok }
                        : [HealthState.Ok, HealthState.Ok, HealthState.Critical, HealthState.Ok];
                    for (var i = 0; i < samples.Length; i++)
                    {
                        bucket.Add(new HistorySample(hour.AddMinutes(i), samples[i], samples[i] == HealthState.Ok ? FailureReason.None : FailureReason.Timeout, 5));
                    }

                    await s.Checks.UpsertHourAsync(bucket.ToRollup(includeRaw: false), null, c);
                }

                return 0;
            }, CancellationToken.None);
        }

        await using var server = await TestServer.StartAsync(Config, dir: dir);
        var publisher = server.App.Services.GetRequiredService<StatusPagePublisher>();
        using var client = server.Client();

        var json = await Eventually.UntilAsync(async () =>
        {
            var response = await client.GetAsync("/public/health.json");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, j => j is not null, publisher.NextBuildAsync, TimeSpan.FromSeconds(30), "the first snapshot");

        var service = JsonDocument.Parse(json!).RootElement.GetProperty("services")[0];
        var daily = service.GetProperty("daily_uptime").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Null ? (double?)null : d.GetDouble()).ToList();
        Assert.Equal(75, daily[88]);
        Assert.Equal(100, daily[79]);
        Assert.Equal(2, daily.Count(d => d is not null));
        Assert.Equal(83.33, service.GetProperty("uptime").GetDouble());
        Assert.Contains("API uptime: 83.33%", await client.GetStringAsync("/badge/api/uptime.svg"), StringComparison.Ordinal);
        var html = await client.GetStringAsync("/public/health");
        Assert.Contains("83.33 % uptime", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/public/health/feed.atom\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/status")).StatusCode);
    }

    [Fact]
    public async Task Disabled_ByReload_EveryRouteAnswersAClear404()
    {
        await using var server = await TestServer.StartAsync(Config);
        var publisher = server.App.Services.GetRequiredService<StatusPagePublisher>();
        using var client = server.Client();
        await Eventually.UntilAsync(() => client.GetAsync("/public/health"), r => r.StatusCode == HttpStatusCode.OK, publisher.NextBuildAsync, TimeSpan.FromSeconds(30), "the first snapshot");

        await File.WriteAllTextAsync(server.ConfigPath, Config + "\n  enabled: false\n");
        using var admin = server.Admin();
        (await admin.PostAsync("/api/v1/config/reload", null)).EnsureSuccessStatusCode();

        foreach (var path in new[] { "/public/health", "/public/health.json", "/public/health/feed.atom", "/badge/api.svg", "/badge/api/uptime.svg" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} -> {(int)response.StatusCode}");
            Assert.Contains("status_page.enabled: false", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reload_TitleOnly_KeepsTheUptimeBook_NewCheckOnAPublicService_ReadsItAgain()
    {
        await using var server = await TestServer.StartAsync(Config);
        var publisher = server.App.Services.GetRequiredService<StatusPagePublisher>();
        using var client = server.Client();
        using var admin = server.Admin();
        await Eventually.UntilAsync(() => client.GetAsync("/public/health"), r => r.StatusCode == HttpStatusCode.OK, publisher.NextBuildAsync, TimeSpan.FromSeconds(30), "the first snapshot");
        Assert.Equal(1, publisher.FullUptimeReads);

        await File.WriteAllTextAsync(server.ConfigPath, Config + "\n  title: Renamed\n");
        (await admin.PostAsync("/api/v1/config/reload", null)).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => client.GetStringAsync("/public/health"), h => h.Contains("<title>Renamed</title>", StringComparison.Ordinal),
            publisher.NextBuildAsync, TimeSpan.FromSeconds(30), "the new title");
        Assert.Equal(1, publisher.FullUptimeReads);

        await File.WriteAllTextAsync(server.ConfigPath, Config.Replace("      - { id: health", "      - { id: second, heartbeat: { period: 1d } }\n      - { id: health", StringComparison.Ordinal));
        (await admin.PostAsync("/api/v1/config/reload", null)).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => Task.FromResult(publisher.FullUptimeReads), n => n == 2, publisher.NextBuildAsync, TimeSpan.FromSeconds(30), "a second full read");
    }
}
