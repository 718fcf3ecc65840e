using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Audit;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Server.Incidents;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// Streams intake from several clients into the real <c>vigil</c> process, kills it with SIGKILL
/// mid-stream, restarts it on the same data directory, and checks that every signal answered 2xx
/// is stored and the audit chain is intact: a 2xx from intake means durable.
/// </summary>
public sealed class IntakeDurabilityTests
{
    // group_by keeps the thousands of signals in a few incidents, so all of them can be read back.
    private const string Config = """
        vigil:
          name: intake-durability
          environment: dev
        services:
          - id: web
            name: Web
        incidents:
          group_by: [group]
        """;

    private const int EventWriters = 3;
    private const int MaxRequestsPerWriter = 3000;

    [Fact]
    public async Task Sigkill_DuringIntake_LosesNoAcknowledgedSignal_AndAuditChainHolds()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config);
        var port = VigilProcess.FreePort();
        string[] args = ["serve", "-c", dir.File("vigil.yaml"), "--data", dir.File("data"), "--listen", $"http://127.0.0.1:{port}"];

        var acknowledged = new ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cutOff = 0;
        string intakeToken;
        await using (var first = VigilProcess.Start(dir.Path, args))
        {
            var address = await first.WaitListeningAsync();
            using (var admin = Client(address, await AdminTokenAsync(dir)))
            {
                var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "alertmanager", role = "intake" });
                intakeToken = (await created.Content.ReadFromJsonAsync<CreatedTokenView>(VigilJson.Options))!.Secret;
            }

            async Task WriteAsync(Func<HttpClient, int, Task<IReadOnlyList<string>?>> send)
            {
                // Each writer its own client and connection; bounded, and ending at the first failure after the kill.
                using var client = Client(address, intakeToken);
                for (var i = 0; i < MaxRequestsPerWriter; i++)
                {
                    try
                    {
                        if (await send(client, i) is { } keys)
                        {
                            foreach (var key in keys)
                            {
                                acknowledged.Add(key);
                            }

                            if (acknowledged.Count >= 400)
                            {
                                enough.TrySetResult();
                            }
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref cutOff);
                        return;
                    }
                }
            }

            var writers = Enumerable.Range(0, EventWriters).Select(w => Task.Run(() => WriteAsync((c, i) => TriggerAsync(c, w, i))))
                .Append(Task.Run(() => WriteAsync(AlertsAsync)))
                .ToList();

            // Kill once a good number of signals were acknowledged (bounded wait), mid-stream.
            try
            {
                await Task.WhenAny(enough.Task, Task.WhenAll(writers)).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                // Slow machine: kill with what was acknowledged so far; the assertions below say whether it was enough.
            }

            await first.KillAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} signals were acknowledged before the kill");
        Assert.True(cutOff > 0, "no writer was still sending when the process was killed; the kill was not mid-stream");

        await using var second = VigilProcess.Start(dir.Path, args);
        var again = await second.WaitListeningAsync();
        var adminToken = await AdminTokenAsync(dir);
        using var reader = Client(again, adminToken);

        var stored = new HashSet<string>(StringComparer.Ordinal);
        var incidents = (await reader.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?limit=1000", VigilJson.Options))!;
        foreach (var incident in incidents)
        {
            var detail = (await reader.GetFromJsonAsync<IncidentDetailView>($"/api/v1/incidents/{incident.Id}", VigilJson.Options))!;
            stored.UnionWith(detail.Signals.Select(s => s.DedupKey));
        }

        var missing = acknowledged.Where(k => !stored.Contains(k)).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of {acknowledged.Count} acknowledged signals were lost, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(EventWriters + 1, incidents.Count);

        var verify = (await reader.GetFromJsonAsync<AuditVerification>("/api/v1/audit/verify", VigilJson.Options))!;
        Assert.True(verify.Ok, verify.Problem);
        // Each stored signal wrote at least one audit entry (its timeline line) in its transaction.
        Assert.True(verify.Checked >= stored.Count, $"{verify.Checked} audit entries for {stored.Count} signals");
        var cli = await CliRun.RunAsync(["audit", "verify", "--server", again.ToString().TrimEnd('/'), "--token", adminToken], dir.Path);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("Audit chain intact", cli.Out);
        Assert.DoesNotContain("First start", second.Output);

        // The intake token and dedup survive the crash: a repeat of an acknowledged trigger attaches, it opens nothing.
        using var intake = Client(again, intakeToken);
        var repeat = acknowledged.First(k => k.StartsWith("dur-0-", StringComparison.Ordinal));
        var response = await intake.PostJsonAsync(Intake.Events, Trigger(repeat, 0));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(incidents.Count, (await reader.GetFromJsonAsync<List<IncidentView>>("/api/v1/incidents?limit=1000", VigilJson.Options))!.Count);
    }

    private static async Task<IReadOnlyList<string>?> TriggerAsync(HttpClient client, int writer, int i)
    {
        var key = $"dur-{writer}-{i}";
        var response = await client.PostJsonAsync(Intake.Events, Trigger(key, writer));
        return response.StatusCode == HttpStatusCode.Accepted ? [key] : null;
    }

    private static JsonObject Trigger(string key, int writer) => new()
    {
        ["event_action"] = "trigger",
        ["dedup_key"] = key,
        ["payload"] = new JsonObject
        {
            ["summary"] = $"durability {key}",
            ["source"] = "durability-test",
            ["severity"] = "warning",
            ["group"] = $"w{writer}",
        },
    };

    /// <summary>Two Prometheus alerts per request; their dedup keys are the fingerprints of their label sets.</summary>
    private static async Task<IReadOnlyList<string>?> AlertsAsync(HttpClient client, int i)
    {
        var labelSets = new[] { "a", "b" }.Select(x => new Dictionary<string, string>
        {
            ["alertname"] = "DurabilityProbe",
            ["group"] = "alerts",
            ["instance"] = string.Create(CultureInfo.InvariantCulture, $"host-{i}-{x}:9100"),
            ["severity"] = "warning",
        }).ToList();
        var body = new JsonArray(labelSets.Select(l => (JsonNode)new JsonObject
        {
            ["labels"] = new JsonObject(l.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["annotations"] = new JsonObject { ["summary"] = "durability alert " + i },
        }).ToArray());
        var response = await client.PostJsonAsync(Intake.AlertsV2, body);
        return response.StatusCode == HttpStatusCode.OK ? labelSets.Select(l => IntakeParsing.Fingerprint(l)).ToList() : null;
    }

    private static async Task<string> AdminTokenAsync(TempDirectory dir) =>
        (await File.ReadAllTextAsync(dir.File("data/admin.token"))).Trim();

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
