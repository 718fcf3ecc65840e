using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

/// <summary>The <c>status_page:</c> section: defaults, which services show, and file:line errors for bad values.</summary>
public sealed class StatusPageConfigTests
{
    private const string Services = """
        services:
          - { id: api, name: API, public: true }
          - { id: web, name: Web, public: true }
          - { id: db, name: Database }
        """;

    [Fact]
    public void Load_NoSection_DefaultsToStatusPathAndEveryPublicServiceInConfigOrder()
    {
        var config = Load("vigil: { name: acme }\n" + Services);

        Assert.True(config.StatusPage.Enabled);
        Assert.Equal("/status", config.StatusPage.Path);
        Assert.Equal("acme status", config.StatusPage.TitleFor(config));
        Assert.Equal(["api", "web"], config.StatusPage.ShownServices(config).Select(s => s.Id));
    }

    [Fact]
    public void Load_ServicesListed_ShowsThoseInThatOrder()
    {
        var config = Load("vigil: { name: acme }\n" + Services + "\n" + """
            status_page:
              path: /public/status
              title: Acme
              logo_url: https://cdn.example.com/logo.svg
              services: [web, api]
              message: Planned work on Sunday.
            """);

        Assert.Equal(["web", "api"], config.StatusPage.ShownServices(config).Select(s => s.Id));
        Assert.Equal(("/public/status", "Acme", "Planned work on Sunday."), (config.StatusPage.Path, config.StatusPage.TitleFor(config), config.StatusPage.Message));
    }

    [Fact]
    public void Load_BadValues_EachAnErrorWithItsLineAndAFix()
    {
        var result = ConfigLoader.LoadFromString("vigil: { name: acme }\n" + Services + "\n" + """
            status_page:
              path: /api/status
              title: ""
              logo_url: javascript:alert(1)
              services: [api, db, nope]
              message: ok
              colour: red
            """, "vigil.yaml", TestEnvironment.Lookup);

        Assert.False(result.Success);
        var errors = result.Errors.Select(e => (e.Path, e.Line)).ToList();
        Assert.Contains(("status_page.path", 7), errors);
        Assert.Contains(("status_page.logo_url", 9), errors);
        Assert.Contains(("status_page.services[1]", 10), errors);
        Assert.Contains(("status_page.services[2]", 10), errors);
        Assert.Contains(("status_page.colour", 12), errors);
        Assert.Contains(result.Errors, e => e.Path == "status_page.services[1]" && e.Message.Contains("add `public: true`", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "status_page.path" && e.Message.Contains("like /status", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path.StartsWith("status_page.title", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("status")]
    [InlineData("/status/")]
    [InlineData("/badge")]
    [InlineData("/healthz")]
    [InlineData("/sta tus")]
    [InlineData("/a//b")]
    public void Load_ReservedOrMalformedPath_IsAnError(string path)
    {
        var result = ConfigLoader.LoadFromString($"vigil: {{ name: acme }}\nstatus_page: {{ path: \"{path}\" }}\n", "vigil.yaml", TestEnvironment.Lookup);

        Assert.Contains(result.Errors, e => e.Path == "status_page.path");
    }

    [Fact]
    public void Load_PublicService_NoLongerWarns()
    {
        var result = ConfigLoader.LoadFromString("vigil: { name: acme }\n" + Services, "vigil.yaml", TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
    }

    private static VigilConfig Load(string yaml)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }
}
