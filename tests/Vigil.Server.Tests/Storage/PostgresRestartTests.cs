using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Storage;

/// <summary>
/// A PostgreSQL restart under load (issue 17): a real server on a cluster of the test's own takes intake events from four
/// writers while the database is stopped (<c>pg_ctl -m fast</c>, as an operator's restart) and started again. The node
/// reports not-ready while the database is gone and ready once it is back, answers intake with 503 (never 500) meanwhile,
/// and every event it acknowledged with a 2xx is in the store afterwards.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const string Config = """
        vigil: { name: pg-restart, environment: dev }
        services:
          - { id: web, name: Web }
        """;

    [Fact]
    public async Task Serve_OnPostgres_DatabaseRestartUnderLoad_NotReadyThenReady_AndLosesNothingAcknowledged()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "vigil" }.ConnectionString;
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE vigil", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using var server = await TestServer.StartAsync(Config, configure: o => o with
        {
            Environment = name => name == PostgresTarget.UrlVariable ? database : null,
        });
        var token = await server.CreateTokenAsync("load", "intake");
        using var anonymous = server.Client();

        var acked = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<HttpStatusCode, int>();
        var transportErrors = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var next = 0;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var client = server.Client(token);
            while (!stop.IsCancellationRequested)
            {
                var key = $"restart-{w}-{Interlocked.Increment(ref next)}";
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/events", new
                    {
                        routing_key = "web",
                        event_action = "trigger",
                        dedup_key = key,
                        payload = new { summary = "load " + key, source = "db-restart", severity = "warning" },
                    });
                    statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                    if (response.IsSuccessStatusCode)
                    {
                        acked.Enqueue(key);
                    }
                    else
                    {
                        // A 503 while the database is away: back off a little, as a sender's retry would.
                        await Task.Delay(20);
                    }
                }
                catch (HttpRequestException ex)
                {
                    transportErrors.Enqueue(ex.Message);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => acked.Count >= 100, "the first 100 events to be acknowledged");
        await cluster.StopAsync();
        await WaitForReadyzAsync(anonymous, HttpStatusCode.ServiceUnavailable);
        var ackedWhileDown = acked.Count;

        await cluster.StartAgainAsync();
        await WaitForReadyzAsync(anonymous, HttpStatusCode.OK);
        await WaitUntilAsync(() => acked.Count >= ackedWhileDown + 100, "100 more events acknowledged after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        output.WriteLine($"acknowledged {acked.Count} ({ackedWhileDown} before the restart); answers: {string.Join(", ", statuses.Select(s => $"{(int)s.Key} x{s.Value}"))}");
        Assert.Empty(transportErrors);
        Assert.All(statuses.Keys, s => Assert.True(s is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable,
            $"intake answered {(int)s} {s} ({statuses[s]} times); only 202 or 503 are right around a database restart"));

        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var c = new NpgsqlConnection(database))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT dedup_key FROM incident_signals", c);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        var lost = acked.Where(k => !stored.Any(s => s.EndsWith(k, StringComparison.Ordinal))).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acked.Count} acknowledged events are not in the store, e.g. {string.Join(", ", lost.Take(5))}");
    }

    private static async Task WaitForReadyzAsync(HttpClient client, HttpStatusCode expected)
    {
        var last = "";
        for (var i = 0; i < 1200; i++)
        {
            using var response = await client.GetAsync("/readyz");
            last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"/readyz never answered {(int)expected}; last {last}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; !condition(); i++)
        {
            Assert.True(i < 2400, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
