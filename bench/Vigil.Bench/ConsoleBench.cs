using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;
using Vigil.Server.WebConsole;

namespace Vigil.Bench;

/// <summary>
/// The console's heavy pages on a real in-process server: the overview with N services × M checks,
/// and an incident page with a long timeline. Times each request end to end over loopback (an upper
/// bound of server time) and reports p50/p99 and the HTML size.
/// </summary>
internal static class ConsoleBench
{
    public static async Task<int> RunAsync(int services, int checksPerService, int timeline, int requests)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-bench-console-").FullName;
        try
        {
            var yaml = new StringBuilder("vigil:\n  name: bench\n  environment: dev\nservices:\n");
            for (var s = 0; s < services; s++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"  - id: svc{s}\n    name: Service {s}\n    checks:\n");
                for (var c = 0; c < checksPerService; c++)
                {
                    // Rarely due: the benchmark measures the pages, not probing.
                    yaml.Append(CultureInfo.InvariantCulture, $"      - {{ id: c{c}, command: {{ run: \"true\" }}, every: 24h }}\n");
                }
            }

            await File.WriteAllTextAsync(Path.Combine(dir, "vigil.yaml"), yaml.ToString());
            var prepared = await VigilServer.PrepareAsync(new ServerOptions
            {
                ConfigPath = Path.Combine(dir, "vigil.yaml"),
                DataDirectory = Path.Combine(dir, "data"),
                Listen = "http://127.0.0.1:0",
                Time = TimeProvider.System,
            }, CancellationToken.None);
            if (prepared.App is not { } app)
            {
                Console.Error.WriteLine(string.Join("\n", prepared.Errors));
                return 1;
            }

            await using (app)
            {
                await app.StartAsync();
                var address = VigilServer.ListeningAddress(app);
                var principal = (await app.Services.GetRequiredService<TokenLookup>().FindAsync(prepared.NewAdminToken!, CancellationToken.None))!;
                var (session, _) = await app.Services.GetRequiredService<ConsoleSessions>().StartAsync(principal, "bench", CancellationToken.None);
                using var http = new HttpClient { BaseAddress = address };
                http.DefaultRequestHeaders.Add("Cookie", $"{ConsoleSessions.CookieName}={session}");
                using var api = new HttpClient { BaseAddress = address };
                api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", prepared.NewAdminToken);

                Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version} (shared with other builds)");
                await MeasureAsync(http, "/console", $"overview, {services} services × {checksPerService} checks", requests);

                var opened = await api.PostAsJsonAsync("/api/v1/incidents", new { title = "bench incident", severity = "P3" });
                var id = System.Text.Json.JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("incident").GetProperty("id").GetInt64();
                for (var i = 0; i < timeline; i++)
                {
                    (await api.PostAsJsonAsync($"/api/v1/incidents/{id}/notes", new { text = $"note {i}: the quick brown fox checks the edge API again" })).EnsureSuccessStatusCode();
                }

                await MeasureAsync(http, $"/console/incidents/{id}", $"incident page, {timeline}+ timeline entries", requests);
                await app.StopAsync();
            }

            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task MeasureAsync(HttpClient http, string path, string what, int requests)
    {
        long bytes = 0;
        for (var i = 0; i < 5; i++)
        {
            bytes = (await http.GetByteArrayAsync(path)).LongLength;
        }

        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var body = await http.GetByteArrayAsync(path);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            bytes = body.LongLength;
        }

        times.Sort();
        Console.WriteLine($"{what}: {requests} requests, p50 {times[times.Count / 2]:0.0} ms, p99 {times[(int)(times.Count * 0.99)]:0.0} ms, max {times[^1]:0.0} ms, HTML {bytes / 1024.0:0.0} KB");
    }
}
