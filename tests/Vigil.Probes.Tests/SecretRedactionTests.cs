using Vigil.Core.Config;

namespace Vigil.Probes.Tests;

/// <summary>Probe messages are stored, shown to viewers and audited: they must not carry credentials.</summary>
public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("http://user:s3cret@127.0.0.1:1/health?token=abc123")]
    [InlineData("http://127.0.0.1:1/health?api_key=abc123&x=s3cret")]
    public async Task HttpProbe_UrlWithCredentials_MessageOmitsThem(string url)
    {
        using var runner = ProbeRunner.Create();
        var check = new CheckConfig { Id = "x", Http = new HttpCheckConfig { Url = url }, Timeout = TimeSpan.FromSeconds(5) };

        var result = await runner.ProbeAsync(check);

        Assert.NotNull(result.Message);
        Assert.Contains("127.0.0.1:1/health", result.Message);
        Assert.DoesNotContain("s3cret", result.Message);
        Assert.DoesNotContain("abc123", result.Message);
    }

    [Fact]
    public async Task CommandProbe_FailingCommandLine_MessageNamesOnlyTheProgram()
    {
        using var runner = ProbeRunner.Create();
        var check = new CheckConfig { Id = "x", Command = new CommandCheckConfig { Run = "false --password=s3cret" }, Timeout = TimeSpan.FromSeconds(5) };

        var result = await runner.ProbeAsync(check);

        Assert.Contains("`false …`", result.Message);
        Assert.DoesNotContain("s3cret", result.Message);
    }
}
