using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class CredentialMaskTests
{
    [Theory]
    [InlineData("https://user:hunter2@db.example.com:5432/app", "https://user:***@db.example.com:5432/app")]
    [InlineData("https://ghp_abcdef0123456789@github.com/o/r.git", "https://***@github.com/o/r.git")]
    [InlineData("https://api.example.com/hook?key=abc123&page=2", "https://api.example.com/hook?key=***&page=2")]
    [InlineData("https://x.example.com/?TOKEN=a&apikey=b&api_key=c&Password=d&secret=e#frag", "https://x.example.com/?TOKEN=***&apikey=***&api_key=***&Password=***&secret=***#frag")]
    [InlineData("https://x.example.com/cb?access_token=abc&client_secret=def&sig=ghi", "https://x.example.com/cb?access_token=***&client_secret=***&sig=***")]
    [InlineData("https://x.example.com/health?verbose=1", "https://x.example.com/health?verbose=1")]
    [InlineData("http://localhost:8080/health", "http://localhost:8080/health")]
    [InlineData("not a url?token=abc", "not a url?token=abc")]
    public void Url_MasksUserinfoAndCredentialQueryValues(string url, string shown)
    {
        Assert.Equal(shown, CredentialMask.Url(url));
    }

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("Cookie", true)]
    [InlineData("Accept", false)]
    [InlineData("Content-Type", false)]
    public void Header_MasksCredentialLikeNames(string name, bool masked)
    {
        Assert.Equal(masked ? CredentialMask.Mask : "value", CredentialMask.Header(name, "value"));
    }

    [Fact]
    public void ToYaml_MasksUrlsHeadersAndEnvEverywhere()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            services:
              - id: api
                checks:
                  - id: health
                    http:
                      url: "https://monitor:pa55word@api.example.com/health?api_key=k123&x=1"
                      headers: { Authorization: "Bearer tok-abc", Accept: application/json }
                  - id: job
                    command: { run: ./check.sh, env: { DB_URL: "postgres://x", MODE: fast } }
            notifiers:
              - id: ops
                command: { run: ./page.sh, env: { PAGER_KEY: "pk-998877" } }
              - id: hook
                webhook: { url: "https://hooks.example.com/in?token=t-445566", headers: { X-Api-Key: "xk-112233" } }
            """, environment: TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));

        var yaml = ConfigRenderer.ToYaml(result.Config!);

        foreach (var secret in new[] { "pa55word", "k123", "tok-abc", "postgres://x", "fast", "pk-998877", "t-445566", "xk-112233" })
        {
            Assert.DoesNotContain(secret, yaml, StringComparison.Ordinal);
        }

        Assert.Contains("https://monitor:***@api.example.com/health?api_key=***&x=1", yaml, StringComparison.Ordinal);
        Assert.Contains("Accept: application/json", yaml, StringComparison.Ordinal);
        Assert.Contains("MODE: \"***\"", yaml, StringComparison.Ordinal);
    }
}
