using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vigil.Server.Tests.Support;

namespace Vigil.Browser.Tests;

/// <summary>
/// One real Vigil server (the composition root of <c>vigil serve</c>, on 127.0.0.1, a real SQLite file)
/// and one headless system Chromium, shared by the browser tests. Chromium is never downloaded: without
/// /usr/bin/chromium the tests fail and say how to install it.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string Config = """
        vigil:
          name: browser-tests
          environment: production
        services:
          - id: web
            name: Website
            public: true
            runbooks: [runbooks/deploy.md]
            checks:
              - id: alive
                command: { run: "true" }
                every: 1h
          - id: api
            name: Edge API
            checks:
              - id: ping
                command: { run: "echo pong" }
                every: 1h
        people:
          - { id: alice, name: Alice Adams }
          - { id: bob, name: Bob Brown }
        schedules:
          - id: primary
            timezone: UTC
            layers:
              - { rotation: daily, handoff: "09:00", members: [alice, bob] }
        runbooks:
          paths: [runbooks/]
          require_approval_in: [production]
        backups:
          - id: site-runbooks
            service: web
            paths: [runbooks]
            cron: "0 3 * * *"
            paused: true
        """;

    public const string DeployRunbook = """
        ---
        id: deploy
        title: Deploy the website
        service: web
        ---
        # Deploy the website

        ## Roll out

        ```bash {name=prepare}
        # Says what is about to happen.
        echo "preparing release <version>"
        ```

        ```bash {name=switch confirm=true mutating=true}
        # Stands in for the real switch, which changes things: so a production run needs approval.
        echo "switching traffic to <version>"
        while [ ! -e <marker> ]; do sleep 0.05; done
        echo "traffic switched"
        ```
        """;

    private readonly List<IBrowserContext> _contexts = [];

    internal TestServer Server { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Responder { get; private set; } = "";

    public string Viewer { get; private set; } = "";

    public string Operator { get; private set; } = "";

    public string SecondOperator { get; private set; } = "";

    /// <summary>Where screenshots go: artifacts/console-screenshots at the repository root (gitignored).</summary>
    public string Artifacts { get; private set; } = "";

    public string Url(string path) => new Uri(Server.Address, path).ToString();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests drive the system's Chromium at {ChromiumPath}, and it is missing. Install it with 'apt-get install -y chromium' "
                + "(.ci/run does this); the tests never download a browser.");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("runbooks"));
        await File.WriteAllTextAsync(dir.File("runbooks/deploy.md"), DeployRunbook);
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config);
        Server = await TestServer.StartAsync(dir: dir);
        Responder = await Server.CreateTokenAsync("rita", "responder");
        Viewer = await Server.CreateTokenAsync("vic", "viewer");
        Operator = await Server.CreateTokenAsync("olivia", "operator");
        SecondOperator = await Server.CreateTokenAsync("oscar", "operator");

        Artifacts = Path.Combine(RepositoryRoot(), "artifacts", "console-screenshots");
        Directory.CreateDirectory(Artifacts);

        // Generous bounds for a machine shared with other builds; Playwright's expectations poll until then, no sleeps.
        Assertions.SetDefaultExpectTimeout(30_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // CI runs as root, where Chromium refuses its sandbox.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh browser context (its own cookies), recording Content-Security-Policy violations.</summary>
    public async Task<(IPage Page, List<string> CspViolations)> NewPageAsync(int width = 1280, ColorScheme scheme = ColorScheme.Light, bool javaScript = true, string? timezoneId = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = scheme,
            JavaScriptEnabled = javaScript,
            TimezoneId = timezoneId,
            BaseURL = Server.Address.ToString(),
        });
        context.SetDefaultTimeout(30_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        return (page, violations);
    }

    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/console/login");
        await page.Locator("#token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("who")).ToBeVisibleAsync();
    }

    public async Task<long> OpenIncidentAsync(string title, string severity = "P2", string service = "web")
    {
        using var admin = Server.Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/incidents", new { title, severity, service });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("incident").GetProperty("id").GetInt64();
    }

    /// <summary>An acknowledge link for <paramref name="personId"/> and incident <paramref name="id"/>, signed with the server's own key, as a page carries it.</summary>
    internal async Task<string> AckLinkPathAsync(long id, string personId = "alice")
    {
        var links = Server.App.Services.GetRequiredService<Vigil.Server.AckLinks.AckLinkService>();
        var store = Server.App.Services.GetRequiredService<Vigil.Core.Storage.IVigilStore>();
        var incident = await store.ReadAsync((s, c) => s.Incidents.GetAsync(id, c), CancellationToken.None);
        var token = Vigil.Core.Notifications.AckLinkTokens.Mint(await links.KeyAsync(CancellationToken.None),
            new Vigil.Core.Notifications.AckLinkClaims(Vigil.Core.Notifications.AckLinkTokens.NewTokenId(), id, incident!.Reopened, personId,
                TimeProvider.System.GetUtcNow().AddHours(1)));
        return Vigil.Server.AckLinks.AckLinkService.PathPrefix + token;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var admin = Server.Admin();
        var response = await admin.GetAsync(path);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "browser";
}
