using Vigil.Core.Config;
using Vigil.Server.Checks;

namespace Vigil.Server.Tests.Checks;

public sealed class HeartbeatTokensTests
{
    [Fact]
    public void Find_WhenTwoChecksShareAToken_AnswersNeitherInsteadOfThrowing()
    {
        var tokens = new HeartbeatTokens(new byte[32]);
        var generated = tokens.TokenFor(new CheckDefinition("jobs", new CheckConfig { Id = "nightly" }));
        // A configured token equal to another check's generated one: validation cannot see it.
        var loaded = ConfigLoader.LoadFromString($$"""
            vigil: { name: test }
            services:
              - id: jobs
                checks:
                  - { id: nightly, heartbeat: { period: 1h } }
                  - { id: weekly, heartbeat: { period: 7d, token: {{generated}} } }
                  - { id: hourly, heartbeat: { period: 1h, token: hourly-0123456789abcdef } }
            """, environment: _ => null);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));

        Assert.Null(tokens.Find(generated, loaded.Config!));
        Assert.Equal("jobs/hourly", tokens.Find("hourly-0123456789abcdef", loaded.Config!)?.Key);
    }
}
