using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Vigil.Cli;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Importers;

/// <summary>
/// <c>vigil import pagerduty|opsgenie|grafana-oncall --api-key …</c> against a real Kestrel on 127.0.0.1 that
/// serves the importer fixtures page by page as each vendor documents (auth and Accept headers checked, offset or
/// next-link pagination, 429 with Retry-After, 5xx, 401): the fetched import writes exactly what the offline
/// import of the same fixtures writes, the key never appears in any output, and waits go through the injected
/// delay (recorded, never slept).
/// </summary>
public sealed class VendorFetchTests
{
    private const string PagerDutyKey = "u+PdSecretKey-9f8e7d6c";
    private const string OpsgenieKey = "og-secret-1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
    private const string GrafanaKey = "glsa_OnCallSecretToken_0123456789";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static string Fixture(string vendor) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Importers", vendor);

    [Fact]
    public async Task PagerDuty_FetchedPageByPage_WritesWhatTheOfflineImportWrites_AndSavesReimportableFiles()
    {
        await using var api = await PagerDutyApi.StartAsync(PagerDutyKey, pageSize: 2, rateLimitUsersPage: 2, retryAfter: "7");
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("pd.key"), PagerDutyKey + "\n");
        var delays = new List<TimeSpan>();

        var fetched = await RunAsync(["import", "pagerduty", "--api-key-file", "pd.key", "--api-url", api.Root(), "--save", "saved", "--out", "fetched/pagerduty.yaml"], dir.Path, delays);
        var offline = await RunAsync(["import", "pagerduty", Fixture("pagerduty"), "--out", "offline/pagerduty.yaml"], dir.Path, []);
        var again = await RunAsync(["import", "pagerduty", "saved", "--out", "again/pagerduty.yaml"], dir.Path, []);

        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/pagerduty.yaml")), await File.ReadAllTextAsync(dir.File("fetched/pagerduty.yaml")));
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/pagerduty.report.md")), await File.ReadAllTextAsync(dir.File("fetched/pagerduty.report.md")));
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/pagerduty.yaml")), await File.ReadAllTextAsync(dir.File("again/pagerduty.yaml")));

        // Three pages of users (the server gives 2 of 6 at a time), page 2 rate-limited once: exactly the Retry-After is waited.
        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
        var users = api.Requests.Where(r => r.PathAndQuery.StartsWith("/users", StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToList();
        Assert.Equal(["/users?include%5B%5D=contact_methods&limit=100&offset=0", "/users?include%5B%5D=contact_methods&limit=100&offset=2",
            "/users?include%5B%5D=contact_methods&limit=100&offset=2", "/users?include%5B%5D=contact_methods&limit=100&offset=4"], users);
        Assert.Contains(api.Requests, r => r.PathAndQuery.StartsWith("/schedules/PNY1234?since=2026-12-07T09%3A00%3A00Z&until=2027-03-07T09%3A00%3A00Z", StringComparison.Ordinal));
        Assert.Contains(api.Requests, r => r.PathAndQuery.StartsWith("/schedules/PBE5678/overrides?since=", StringComparison.Ordinal));
        Assert.Contains(api.Requests, r => r.PathAndQuery.StartsWith("/services?include%5B%5D=integrations", StringComparison.Ordinal));
        Assert.All(api.Requests, r => Assert.Equal("Token token=" + PagerDutyKey, r.Header("Authorization")));

        // Progress: each endpoint and page on stderr, the wait said; the key nowhere.
        Assert.Contains("(users, page 2)", fetched.Error);
        Assert.Contains("429 Too Many Requests; waiting 7 s (Retry-After) before try 2 of 6", fetched.Error);
        Assert.Contains("(users, page 3)", fetched.Error);
        Assert.True(File.Exists(dir.File("saved/users-001.json")) && File.Exists(dir.File("saved/users-003.json")), fetched.ToString());
        AssertNoKey(PagerDutyKey, fetched, dir);
    }

    [Fact]
    public async Task Opsgenie_FetchedWithTheKeyFromTheEnvironment_FollowsPagingNext_AndWaitsUntilARetryAfterDate()
    {
        await using var api = await OpsgenieApi.StartAsync(OpsgenieKey, retryAfterDate: Now.AddSeconds(12));
        using var dir = new TempDirectory();
        var delays = new List<TimeSpan>();
        var env = new Dictionary<string, string> { ["VIGIL_IMPORT_API_KEY"] = OpsgenieKey };

        var fetched = await RunAsync(["import", "opsgenie", "--api-url", api.Root(), "--out", "fetched/opsgenie.yaml", "-o", "json"], dir.Path, delays, env);
        var offline = await RunAsync(["import", "opsgenie", Fixture("opsgenie"), "--out", "offline/opsgenie.yaml"], dir.Path, []);

        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/opsgenie.yaml")), await File.ReadAllTextAsync(dir.File("fetched/opsgenie.yaml")));
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/opsgenie.report.md")), await File.ReadAllTextAsync(dir.File("fetched/opsgenie.report.md")));
        Assert.Equal([TimeSpan.FromSeconds(12)], delays);
        Assert.Equal(4, api.Requests.Count(r => r.PathAndQuery.StartsWith("/v2/users", StringComparison.Ordinal))); // 3 pages, one of them twice
        Assert.Contains(api.Requests, r => r.PathAndQuery == "/v2/schedules/d875e654-9b4e-4219-a803-0c26a5e1a002/overrides?scheduleIdentifierType=id");
        Assert.All(api.Requests, r => Assert.Equal("GenieKey " + OpsgenieKey, r.Header("Authorization")));
        Assert.StartsWith("{", fetched.Out.TrimStart()); // stdout stays JSON; progress is on stderr
        AssertNoKey(OpsgenieKey, fetched, dir);
    }

    [Fact]
    public async Task GrafanaOnCall_FetchedByNextLinks_RetriesA503_AndWritesWhatTheOfflineImportWrites()
    {
        await using var api = await GrafanaApi.StartAsync(GrafanaKey, pageSize: 4);
        using var dir = new TempDirectory();
        var delays = new List<TimeSpan>();

        var fetched = await RunAsync(["import", "grafana-oncall", "--api-key", GrafanaKey, "--api-url", api.Root() + "api/v1/", "--out", "fetched/oncall.yaml"], dir.Path, delays);
        var offline = await RunAsync(["import", "grafana-oncall", Fixture("grafana-oncall"), "--out", "offline/oncall.yaml"], dir.Path, []);

        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/oncall.yaml")), await File.ReadAllTextAsync(dir.File("fetched/oncall.yaml")));
        Assert.Equal(await File.ReadAllTextAsync(dir.File("offline/oncall.report.md")), await File.ReadAllTextAsync(dir.File("fetched/oncall.report.md")));
        // The 9 shifts come in 3 pages; the first answer of page 2 is a 503 without Retry-After: the first backoff.
        Assert.Equal(["/api/v1/on_call_shifts/", "/api/v1/on_call_shifts/?page=2", "/api/v1/on_call_shifts/?page=2", "/api/v1/on_call_shifts/?page=3"],
            api.Requests.Where(r => r.PathAndQuery.StartsWith("/api/v1/on_call_shifts/", StringComparison.Ordinal)).Select(r => r.PathAndQuery));
        Assert.Equal([TimeSpan.FromSeconds(1)], delays);
        Assert.All(api.Requests, r => Assert.Equal(GrafanaKey, r.Header("Authorization")));
        AssertNoKey(GrafanaKey, fetched, dir);
    }

    [Fact]
    public async Task GrafanaOnCall_WithoutApiUrl_IsOneSentence()
    {
        using var dir = new TempDirectory();
        var run = await RunAsync(["import", "grafana-oncall", "--api-key", GrafanaKey], dir.Path, []);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--api-url is required", run.Error);
        AssertNoKey(GrafanaKey, run, dir);
    }

    [Fact]
    public async Task AWrongKey_Is401_OneSentenceNamingVendorUrlAndFix_WithoutTheKey_AndNothingWritten()
    {
        await using var api = await PagerDutyApi.StartAsync(PagerDutyKey, pageSize: 100);
        using var dir = new TempDirectory();
        const string wrong = "wrong-key-Zq81x";

        var run = await RunAsync(["import", "pagerduty", "--api-key", wrong, "--api-url", api.Root()], dir.Path, []);

        Assert.Equal(ExitCodes.Auth, run.ExitCode);
        Assert.Contains($"vigil: PagerDuty refused the API key (401 Unauthorized) at GET {api.Root()}users?include%5B%5D=contact_methods&limit=100&offset=0: use a REST API key", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.False(File.Exists(dir.File("pagerduty.yaml")));
        AssertNoKey(wrong, run, dir);
    }

    [Fact]
    public async Task RepeatedRateLimits_GiveUpAfterBoundedTries_WithExponentialBackoff_NamingTheEndpoint()
    {
        await using var api = await PagerDutyApi.StartAsync(PagerDutyKey, pageSize: 100, alwaysRateLimit: "/escalation_policies");
        using var dir = new TempDirectory();
        var delays = new List<TimeSpan>();

        var run = await RunAsync(["import", "pagerduty", "--api-key", PagerDutyKey, "--api-url", api.Root()], dir.Path, delays);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains($"vigil: gave up on GET {api.Root()}escalation_policies?limit=100&offset=0 (escalation policies, page 1) after 6 tries: PagerDuty answered 429 Too Many Requests each time", run.Error);
        Assert.Contains("wait a few minutes", run.Error);
        Assert.Equal([1, 2, 4, 8, 16], delays.Select(d => d.TotalSeconds));
        Assert.Equal(6, api.Requests.Count(r => r.PathAndQuery.StartsWith("/escalation_policies", StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", run.Error);
        Assert.False(File.Exists(dir.File("pagerduty.yaml")));
        AssertNoKey(PagerDutyKey, run, dir);
    }

    [Fact]
    public async Task AnswerThatIsNotJson_SaysWhatWhereAndHowToFix()
    {
        await using var api = await HttpReceiver.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html>Grafana login</html>");
        });
        using var dir = new TempDirectory();

        var run = await RunAsync(["import", "grafana-oncall", "--api-key", GrafanaKey, "--api-url", api.BaseAddress.ToString()], dir.Path, []);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains($"Grafana OnCall answered GET {api.BaseAddress}api/v1/users/ (users, page 1) with something that is not JSON (text/html at line 1, byte 1); check that --api-url is the Grafana OnCall API's base URL", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        AssertNoKey(GrafanaKey, run, dir);
    }

    [Fact]
    public async Task ARedirect_IsNotFollowedWithTheKey_AndSaysWhereItPoints()
    {
        var followed = 0;
        await using var api = await HttpReceiver.StartAsync((ctx, _) =>
        {
            if (ctx.Request.Path.StartsWithSegments("/elsewhere"))
            {
                Interlocked.Increment(ref followed);
            }

            ctx.Response.StatusCode = 301;
            ctx.Response.Headers.Location = "/elsewhere/users";
            return Task.CompletedTask;
        });
        using var dir = new TempDirectory();

        var run = await RunAsync(["import", "pagerduty", "--api-key", PagerDutyKey, "--api-url", api.Root()], dir.Path, []);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains($"with 301 Moved Permanently to {api.Root()}elsewhere/users; Vigil does not follow redirects with the key", run.Error);
        Assert.Equal(0, followed);
        AssertNoKey(PagerDutyKey, run, dir);
    }

    [Fact]
    public async Task FilesAndAKey_Together_AreRefused()
    {
        using var dir = new TempDirectory();
        var run = await RunAsync(["import", "pagerduty", Fixture("pagerduty"), "--api-key", PagerDutyKey], dir.Path, []);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--api-key fetches from the PagerDuty API, but files were given too", run.Error);
        AssertNoKey(PagerDutyKey, run, dir);
    }

    private static void AssertNoKey(string key, CliRun run, TempDirectory dir)
    {
        Assert.DoesNotContain(key, run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key, run.Error, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".key", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(key, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    private static async Task<CliRun> RunAsync(string[] args, string workingDirectory, List<TimeSpan> delays, IReadOnlyDictionary<string, string>? env = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => env is not null && env.TryGetValue(name, out var v) ? v : null, workingDirectory)
        {
            Clock = new FakeTimeProvider(Now),
            Delay = (delay, _) =>
            {
                lock (delays)
                {
                    delays.Add(delay);
                }

                return Task.CompletedTask;
            },
        };
        var code = await CliApp.RunAsync(args, environment);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private static JsonObject Load(string vendor, string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Fixture(vendor), file)))!.AsObject();

    private static async Task Json(HttpContext ctx, JsonNode body, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    private static JsonArray Slice(JsonArray items, int from, int count) => new(items.Skip(from).Take(count).Select(i => i!.DeepClone()).ToArray());

    /// <summary>PagerDuty REST v2 as documented: Token auth, the v2 Accept header, offset/limit/more (the server caps the limit).</summary>
    private sealed class PagerDutyApi
    {
        public static async Task<HttpReceiver> StartAsync(string key, int pageSize, int rateLimitUsersPage = 0, string? retryAfter = null, string? alwaysRateLimit = null)
        {
            var limited = 0;
            var schedules = Directory.EnumerateFiles(Path.Combine(Fixture("pagerduty"), "schedules"), "*.json").Order(StringComparer.Ordinal)
                .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
            return await HttpReceiver.StartAsync(async (ctx, _) =>
            {
                var path = ctx.Request.Path.Value!;
                if (ctx.Request.Headers.Authorization != "Token token=" + key)
                {
                    await Json(ctx, new JsonObject { ["error"] = new JsonObject { ["message"] = "Unauthorized", ["code"] = 2006 } }, 401);
                    return;
                }

                if (ctx.Request.Headers.Accept != "application/vnd.pagerduty+json;version=2")
                {
                    await Json(ctx, new JsonObject { ["error"] = new JsonObject { ["message"] = "missing the v2 Accept header" } }, 400);
                    return;
                }

                if (alwaysRateLimit is not null && path.StartsWith(alwaysRateLimit, StringComparison.Ordinal))
                {
                    await Json(ctx, new JsonObject { ["error"] = new JsonObject { ["message"] = "Rate Limit Exceeded" } }, 429);
                    return;
                }

                var offset = int.Parse(ctx.Request.Query["offset"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
                var limit = Math.Min(pageSize, int.Parse(ctx.Request.Query["limit"].FirstOrDefault() ?? "25", CultureInfo.InvariantCulture));
                async Task List(string key, JsonArray all)
                {
                    var page = Slice(all, offset, limit);
                    await Json(ctx, new JsonObject { [key] = page, ["limit"] = limit, ["offset"] = offset, ["more"] = offset + page.Count < all.Count, ["total"] = null });
                }

                if (path == "/users")
                {
                    if (ctx.Request.Query["include[]"] != "contact_methods")
                    {
                        await Json(ctx, new JsonObject { ["error"] = "include[]=contact_methods expected" }, 400);
                        return;
                    }

                    if (rateLimitUsersPage > 0 && offset == (rateLimitUsersPage - 1) * pageSize && Interlocked.Increment(ref limited) == 1)
                    {
                        ctx.Response.Headers.RetryAfter = retryAfter;
                        await Json(ctx, new JsonObject { ["error"] = new JsonObject { ["message"] = "Rate Limit Exceeded" } }, 429);
                        return;
                    }

                    await List("users", Load("pagerduty", "users.json")["users"]!.AsArray());
                }
                else if (path == "/schedules")
                {
                    await List("schedules", new JsonArray(schedules.Select(s => (JsonNode)new JsonObject { ["id"] = s["schedule"]!["id"]!.DeepClone(), ["name"] = s["schedule"]!["name"]!.DeepClone() }).ToArray()));
                }
                else if (path.StartsWith("/schedules/", StringComparison.Ordinal) && path.EndsWith("/overrides", StringComparison.Ordinal))
                {
                    var id = path.Split('/')[2];
                    var file = Path.Combine(Fixture("pagerduty"), $"overrides-{id}.json");
                    await List("overrides", File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file))!["overrides"]!.AsArray() : new JsonArray());
                }
                else if (path.StartsWith("/schedules/", StringComparison.Ordinal) && ctx.Request.Query.ContainsKey("since") && ctx.Request.Query.ContainsKey("until"))
                {
                    var id = path.Split('/')[2];
                    await Json(ctx, schedules.Single(s => (string?)s["schedule"]!["id"] == id));
                }
                else if (path is "/escalation_policies" or "/services")
                {
                    var key2 = path[1..];
                    await List(key2, Load("pagerduty", key2 + ".json")[key2]!.AsArray());
                }
                else
                {
                    await Json(ctx, new JsonObject { ["error"] = new JsonObject { ["message"] = "Not Found" } }, 404);
                }
            });
        }
    }

    /// <summary>Opsgenie as documented: GenieKey auth, <c>data</c>, <c>paging.next</c> links; users 2 a page; one 429 with an HTTP-date Retry-After.</summary>
    private sealed class OpsgenieApi
    {
        public static async Task<HttpReceiver> StartAsync(string key, DateTimeOffset retryAfterDate)
        {
            var limited = 0;
            HttpReceiver? self = null;
            self = await HttpReceiver.StartAsync(async (ctx, _) =>
            {
                var path = ctx.Request.Path.Value!;
                if (ctx.Request.Headers.Authorization != "GenieKey " + key)
                {
                    await Json(ctx, new JsonObject { ["message"] = "Could not authenticate", ["took"] = 0.0 }, 401);
                    return;
                }

                switch (path)
                {
                    case "/v2/users":
                    {
                        var offset = int.Parse(ctx.Request.Query["offset"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
                        if (offset == 2 && Interlocked.Increment(ref limited) == 1)
                        {
                            ctx.Response.Headers.RetryAfter = retryAfterDate.ToString("R", CultureInfo.InvariantCulture);
                            await Json(ctx, new JsonObject { ["message"] = "Too many requests" }, 429);
                            return;
                        }

                        var all = Load("opsgenie", "users.json")["data"]!.AsArray();
                        var page = new JsonObject { ["data"] = Slice(all, offset, 2), ["totalCount"] = all.Count, ["took"] = 0.1, ["requestId"] = "r" };
                        var paging = new JsonObject { ["first"] = $"{self!.BaseAddress}v2/users?limit=2&offset=0" };
                        if (offset + 2 < all.Count)
                        {
                            paging["next"] = $"{self.BaseAddress}v2/users?limit=2&offset={offset + 2}";
                        }

                        page["paging"] = paging;
                        await Json(ctx, page);
                        return;
                    }

                    case "/v2/schedules" when ctx.Request.Query["expand"] == "rotation":
                        await Json(ctx, Load("opsgenie", "schedules.json"));
                        return;
                    case "/v2/escalations":
                        await Json(ctx, Load("opsgenie", "escalations.json"));
                        return;
                    case "/v1/services":
                        await Json(ctx, Load("opsgenie", "services.json"));
                        return;
                    case "/v2/integrations":
                        await Json(ctx, Load("opsgenie", "integrations.json"));
                        return;
                }

                var parts = path.Split('/');
                if (parts is ["", "v2", "schedules", var id, "overrides"] && ctx.Request.Query["scheduleIdentifierType"] == "id")
                {
                    var file = $"overrides-{id}.json";
                    await Json(ctx, File.Exists(Path.Combine(Fixture("opsgenie"), file)) ? Load("opsgenie", file) : new JsonObject { ["data"] = new JsonArray(), ["took"] = 0.0 });
                    return;
                }

                await Json(ctx, new JsonObject { ["message"] = "Not found" }, 404);
            });
            return self;
        }
    }

    /// <summary>Grafana OnCall public API v1: raw token auth, <c>{count, next, previous, results}</c>; a 503 once.</summary>
    private sealed class GrafanaApi
    {
        public static async Task<HttpReceiver> StartAsync(string key, int pageSize)
        {
            var failed = 0;
            HttpReceiver? self = null;
            self = await HttpReceiver.StartAsync(async (ctx, _) =>
            {
                var path = ctx.Request.Path.Value!;
                if (ctx.Request.Headers.Authorization != key)
                {
                    await Json(ctx, new JsonObject { ["detail"] = "Invalid token." }, 401);
                    return;
                }

                var parts = path.Split('/');
                if (parts is not ["", "api", "v1", var kind, ""] || !File.Exists(Path.Combine(Fixture("grafana-oncall"), kind + ".json")))
                {
                    await Json(ctx, new JsonObject { ["detail"] = "Not found." }, 404);
                    return;
                }

                var number = int.Parse(ctx.Request.Query["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
                if (kind == "on_call_shifts" && number == 2 && Interlocked.Increment(ref failed) == 1)
                {
                    await Json(ctx, new JsonObject { ["detail"] = "upstream unavailable" }, 503);
                    return;
                }

                var all = Load("grafana-oncall", kind + ".json")["results"]!.AsArray();
                var more = number * pageSize < all.Count;
                await Json(ctx, new JsonObject
                {
                    ["count"] = all.Count,
                    ["next"] = more ? $"{self!.BaseAddress}api/v1/{kind}/?page={number + 1}" : null,
                    ["previous"] = number > 1 ? $"{self!.BaseAddress}api/v1/{kind}/?page={number - 1}" : null,
                    ["results"] = Slice(all, (number - 1) * pageSize, pageSize),
                    ["page_size"] = pageSize,
                    ["current_page_number"] = number,
                    ["total_pages"] = (all.Count + pageSize - 1) / pageSize,
                });
            });
            return self;
        }
    }
}

/// <summary>Convenience for the fixture servers.</summary>
internal static class FixtureServerExtensions
{
    /// <summary>The server's base URL with its trailing slash, as given to --api-url.</summary>
    public static string Root(this HttpReceiver receiver) => receiver.BaseAddress.AbsoluteUri;
}
