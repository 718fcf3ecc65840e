using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Storage;
using Vigil.Server.Tests.Support;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Incidents;

/// <summary>
/// Sends 10,000 generated bad bodies (plus a few over the body limit) to each intake route with a
/// valid intake token. Every answer must be the expected 4xx as application/problem+json (never a
/// 2xx, never a 500), and the store must be exactly as before: same incidents, same audit tail.
/// The seed is printed; set VIGIL_FUZZ_SEED to replay a run, and each failure names its case seed
/// so <see cref="MalformedBodies.Create"/> rebuilds that one body.
/// </summary>
public sealed class IntakeFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerRoute = 10_000;
    private const int Concurrency = 8;
    private const int DefaultSeed = 20260314;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("VIGIL_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;

    [Theory]
    [InlineData(Intake.Webhook)]
    [InlineData(Intake.AlertsV2)]
    [InlineData(Intake.Events)]
    public async Task MalformedBodies_AreAll4xxProblems_AndChangeNothing(string route)
    {
        output.WriteLine($"seed {Seed} (VIGIL_FUZZ_SEED), route {route}, {CasesPerRoute} cases, {Concurrency} concurrent");
        await using var server = await TestServer.StartAsync(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero)));
        // Waits for 100-continue as long as it takes, so an over-limit body is never sent before the 413.
        using var intake = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = server.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        intake.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.CreateTokenAsync("fuzz-intake", "intake"));
        using var admin = server.Admin();
        // Something in the store to leave alone: one incident with a signal, timeline and audit entries.
        await (await intake.PostJsonAsync(Intake.Events, Intake.Payload("pagerduty-trigger.json"))).AssertSuccessAsync("seed incident");
        // Escalation wakes on the seed incident's commit and records its decision: let it settle first,
        // so the snapshot holds still unless a bad body changes something.
        var store = server.App.Services.GetRequiredService<IVigilStore>();
        await Eventually.UntilAsync(() => store.ReadAsync((s, c) => s.Paging.ListIncidentsToEvaluateAsync(10, c), CancellationToken.None),
            pending => pending.Count == 0, store.NextCommitAsync, TimeSpan.FromSeconds(30), "escalation of the seed incident");
        var before = await SnapshotAsync(admin);

        var cases = Enumerable.Range(0, CasesPerRoute).Select(i => (Seed: CaseSeed(route, i), Body: (MalformedBody?)null))
            .Concat(MalformedBodies.Oversized(route).Select((b, i) => (Seed: -1 - i, Body: (MalformedBody?)b)))
            .ToList();
        var failures = new ConcurrentQueue<string>();
        // Counts per kind, plus how many over-limit bodies met a reset instead of their 413.
        var kinds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (c, ct) =>
        {
            var body = c.Body ?? MalformedBodies.Create(route, c.Seed);
            kinds.AddOrUpdate(body.Kind.Split(':')[0], 1, (_, n) => n + 1);
            var (status, contentType, answer) = await SendAsync(intake, route, body, ct);
            if (status == 0 && body.MayReset)
            {
                kinds.AddOrUpdate("reset without an answer", 1, (_, n) => n + 1);
                return;
            }

            if (status != body.ExpectedStatus || contentType != "application/problem+json")
            {
                failures.Enqueue($"case seed {c.Seed} [{body.Kind}{(body.Chunked ? ", chunked" : "")}{(body.ExpectContinue ? ", expect 100-continue" : "")}, Content-Type {body.ContentType ?? "(none)"}]: " +
                    $"expected {body.ExpectedStatus} application/problem+json, got {status} {contentType ?? "(none)"}\n" +
                    $"  body: {body.Excerpt()}\n  answer: {Clip(answer, 600)}");
            }
        });
        output.WriteLine($"{cases.Count} requests in {clock.Elapsed.TotalSeconds:F1}s; kinds: {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");

        Assert.True(failures.IsEmpty,
            $"{failures.Count} of {cases.Count} bad bodies to {route} were not answered as expected (seed {Seed}):\n{string.Join("\n", failures.Take(15))}");
        var after = await SnapshotAsync(admin);
        Assert.Equal(before.Incidents, after.Incidents);
        Assert.Equal(before.AuditTail, after.AuditTail);
        Assert.Contains("\"ok\":true", after.Verify);

        // The same token and route still take a good body: the 4xx answers above were about the bodies.
        var good = route switch
        {
            Intake.Webhook => Intake.Payload("alertmanager-firing.json"),
            Intake.AlertsV2 => Intake.Payload("prometheus-alerts-firing.json"),
            _ => Intake.Payload("pagerduty-trigger.json").Replace("samplekeyhere", "after-fuzz", StringComparison.Ordinal),
        };
        await (await intake.PostJsonAsync(route, good)).AssertSuccessAsync("good body after the fuzz");
        Assert.NotEqual(before.Incidents, (await SnapshotAsync(admin)).Incidents);
    }

    [Fact]
    public void Generator_IsDeterministicPerCaseSeed_AndCoversEveryKind()
    {
        foreach (var route in Intake.Routes)
        {
            var kinds = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 2000; i++)
            {
                var a = MalformedBodies.Create(route, CaseSeed(route, i));
                var b = MalformedBodies.Create(route, CaseSeed(route, i));
                Assert.Equal(a.Body, b.Body);
                Assert.Equal(a.Kind, b.Kind);
                kinds.Add(a.Kind.Split(':')[0]);
                Assert.True(a.Body.Length < MalformedBodies.MaxBody, $"{route} case {i} ({a.Kind}) is {a.Body.Length} bytes; only Oversized may pass the limit");
            }

            string[] expected = ["random bytes", "truncated JSON", "wrong type", "deep nesting", "huge string", "null", "content type", "semantic"];
            Assert.All(expected, k => Assert.Contains(k, kinds));
            if (route != Intake.Events)
            {
                Assert.Contains("too many labels", kinds);
            }

            Assert.All(MalformedBodies.Oversized(route), o => Assert.True(o.Body.Length > MalformedBodies.MaxBody));
        }
    }

    private static async Task<(int Status, string? ContentType, string Body)> SendAsync(HttpClient client, string route, MalformedBody body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body.Body);
        if (body.ContentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(body.ContentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        if (body.Chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        if (body.ExpectContinue)
        {
            request.Headers.ExpectContinue = true;
        }

        try
        {
            using var response = await client.SendAsync(request, ct);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(ct));
        }
        catch (HttpRequestException ex)
        {
            return (0, null, "no answer: " + ex.Message);
        }
    }

    /// <summary>Each case its own seed, derived from the run seed, the route and the case number.</summary>
    private static int CaseSeed(string route, int i) =>
        unchecked((((Seed * 31) + Intake.Routes.ToList().IndexOf(route) + 1) * 40_000) + i);

    private static async Task<(string Incidents, string AuditTail, string Verify)> SnapshotAsync(HttpClient admin) =>
        (await admin.GetStringAsync("/api/v1/incidents?limit=1000"),
         await admin.GetStringAsync("/api/v1/audit?tail=20"),
         await admin.GetStringAsync("/api/v1/audit/verify"));

    private static string Clip(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
