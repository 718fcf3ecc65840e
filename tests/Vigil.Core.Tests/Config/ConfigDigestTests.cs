using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigDigestTests
{
    private const string Base = """
        vigil:
          name: digest-test
          environment: staging
        people:
          - { id: alice, email: alice@example.com }
        schedules:
          - id: primary
            layers:
              - { rotation: weekly, handoff: "Mon 09:00", members: [alice] }
        notifiers:
          - { id: slack, slack: { webhook_url: "${SLACK_WEBHOOK_URL}" } }
          - { id: hook, webhook: { url: "http://localhost:9000/hook", secret: "${HOOK_SECRET}" } }
        escalation_policies:
          - id: default
            steps:
              - { after: 0m, notify: [schedule:primary] }
              - { after: 15m, notify: [notifier:slack] }
        services:
          - id: api
            depends_on: [db]
            labels: { team: platform, tier: "1" }
            checks:
              - id: health
                http: { url: "https://localhost/health", expect_status: [200] }
                every: 10s
                severity: P1
          - id: db
            checks:
              - { id: port, tcp: { host: localhost, port: 5432 } }
        """;

    /// <summary>The same config: keys reordered, flow and block styles swapped, comments and blank lines added, equal values spelled differently.</summary>
    private const string Reformatted = """
        # Same config, written differently.

        services:
          - id: api            # the API
            checks:
              - severity: P1
                every: 10000ms
                id: health
                http:
                  expect_status:
                    - 200
                  url: https://localhost/health
            labels:
              tier: '1'
              team: platform
            depends_on:
              - db
          - checks: [{ tcp: { port: 5432, host: localhost }, id: port }]
            id: db

        escalation_policies:
          - steps:
              - notify: [schedule:primary]
                after: 0s
              - { notify: [notifier:slack], after: 900s }
            id: default
        notifiers:
          - slack:
              webhook_url: ${SLACK_WEBHOOK_URL}
            id: slack
          - { webhook: { secret: "${HOOK_SECRET}", url: "http://localhost:9000/hook" }, id: hook }
        schedules:
          - layers:
              - members: [alice]
                handoff: "monday 9:00"
                rotation: weekly
            id: primary
        people:
          - email: alice@example.com
            id: alice
        vigil: { environment: staging, name: digest-test }
        """;

    private static VigilConfig Load(string yaml, Func<string, string?>? env = null)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", env ?? TestEnvironment.Lookup);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Config!;
    }

    [Fact]
    public void Compute_LoadedConfig_HasSha256Format()
    {
        var config = Load(Base);

        Assert.Matches("^sha256:[0-9a-f]{64}$", ConfigDigest.Compute(config));
        Assert.Equal(config.Digest, ConfigDigest.Compute(config));
    }

    [Fact]
    public void Compute_ReorderedKeysCommentsAndWhitespace_KeepsDigest()
    {
        Assert.Equal(Load(Base).Digest, Load(Reformatted).Digest);
    }

    [Fact]
    public void Compute_ExplicitDefaults_KeepDigest()
    {
        var explicitDefaults = Base
            .Replace("  environment: staging\n", "  environment: staging\n  listen: http://127.0.0.1:8080\n", StringComparison.Ordinal)
            .Replace("                every: 10s\n", "                every: 10s\n                timeout: 10s\n                fail_after: 1\n", StringComparison.Ordinal)
            + "\nseverities:\n"
            + "  - { id: P0, name: Critical, ack_within: 15m, page: true, require_pir: true }\n"
            + "  - { id: P1, name: High, ack_within: 1h, page: true, require_pir: true }\n"
            + "  - { id: P2, name: Medium, ack_within: 4h, page: false }\n"
            + "  - { id: P3, name: Low, ack_within: 1d }\n";

        Assert.Equal(Load(Base).Digest, Load(explicitDefaults).Digest);
    }

    [Theory]
    [InlineData("every: 10s", "every: 11s")]
    [InlineData("name: digest-test", "name: digest-test2")]
    [InlineData("environment: staging", "environment: production")]
    [InlineData("expect_status: [200]", "expect_status: [200, 204]")]
    [InlineData("severity: P1", "severity: P2")]
    [InlineData("tier: \"1\"", "tier: \"2\"")]
    [InlineData("{ after: 15m, notify: [notifier:slack] }", "{ after: 16m, notify: [notifier:slack] }")]
    [InlineData("port: 5432", "port: 5433")]
    [InlineData("depends_on: [db]", "depends_on: []")]
    [InlineData("url: \"https://localhost/health\"", "url: \"https://localhost/healthz\"")]
    [InlineData("secret: \"${HOOK_SECRET}\"", "secret: \"${OTHER_SECRET}\"")]
    [InlineData("email: alice@example.com", "email: alice@example.org")]
    public void Compute_AnySemanticChange_ChangesDigest(string from, string to)
    {
        Assert.Contains(from, Base, StringComparison.Ordinal);
        var changed = Base.Replace(from, to, StringComparison.Ordinal);

        var env = TestEnvironment.With(("OTHER_SECRET", "x"));
        Assert.NotEqual(Load(Base, env).Digest, Load(changed, env).Digest);
    }

    [Fact]
    public void Compute_ReorderedListItems_ChangesDigest()
    {
        var swapped = Base.Replace(
            "  - { id: slack, slack: { webhook_url: \"${SLACK_WEBHOOK_URL}\" } }\n  - { id: hook, webhook: { url: \"http://localhost:9000/hook\", secret: \"${HOOK_SECRET}\" } }",
            "  - { id: hook, webhook: { url: \"http://localhost:9000/hook\", secret: \"${HOOK_SECRET}\" } }\n  - { id: slack, slack: { webhook_url: \"${SLACK_WEBHOOK_URL}\" } }",
            StringComparison.Ordinal);
        Assert.NotEqual(Base, swapped);

        Assert.NotEqual(Load(Base).Digest, Load(swapped).Digest);
    }

    [Fact]
    public void Compute_DifferentSecretValuesInEnvironment_KeepDigest()
    {
        var other = TestEnvironment.With(("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/OTHER"), ("HOOK_SECRET", "another-key"));

        Assert.Equal(Load(Base).Digest, Load(Base, other).Digest);
    }

    [Fact]
    public void Normalize_EnvExpandedSecrets_AppearOnlyAsTemplates()
    {
        var normalized = ConfigDigest.Normalize(Load(Base));

        Assert.DoesNotContain(TestEnvironment.SlackWebhookUrl, normalized, StringComparison.Ordinal);
        Assert.DoesNotContain(TestEnvironment.HookSecret, normalized, StringComparison.Ordinal);
        Assert.Contains("${SLACK_WEBHOOK_URL}", normalized, StringComparison.Ordinal);
        Assert.Contains("${HOOK_SECRET}", normalized, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_LiteralSecret_AppearsOnlyHashed()
    {
        var yaml = Base.Replace("secret: \"${HOOK_SECRET}\"", "secret: literal-hmac-key", StringComparison.Ordinal);

        var normalized = ConfigDigest.Normalize(Load(yaml));

        Assert.DoesNotContain("literal-hmac-key", normalized, StringComparison.Ordinal);
        Assert.NotEqual(Load(yaml).Digest, Load(yaml.Replace("literal-hmac-key", "other-hmac-key", StringComparison.Ordinal)).Digest);
    }

    [Fact]
    public void Normalize_LiteralDollarAndTemplate_DoNotCollide()
    {
        var literal = Load("vigil: { name: test }\nservices: [{ id: a, description: \"$${X}\" }]\n");
        var template = Load("vigil: { name: test }\nservices: [{ id: a, description: \"${X}\" }]\n", TestEnvironment.With(("X", "${X}")));

        Assert.Equal(literal.Services[0].Description, template.Services[0].Description);
        Assert.NotEqual(literal.Digest, template.Digest);
    }

    [Fact]
    public void ToYaml_Secrets_AreMasked()
    {
        var yaml = ConfigRenderer.ToYaml(Load(Base));

        Assert.DoesNotContain(TestEnvironment.SlackWebhookUrl, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(TestEnvironment.HookSecret, yaml, StringComparison.Ordinal);
        Assert.Contains("webhook_url: \"***\"", yaml, StringComparison.Ordinal);
        Assert.Contains("secret: \"***\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ToYaml_LiteralSecretAndNonSecretEnvValue_AreMasked()
    {
        var config = Load("""
            vigil:
              name: ${INSTANCE_NAME}
            notifiers:
              - { id: mail, email: { smtp: "smtp://localhost", from: vigil@example.com, password: plain-text-pw } }
            """, TestEnvironment.With(("INSTANCE_NAME", "name-from-env")));

        var yaml = ConfigRenderer.ToYaml(config);

        Assert.DoesNotContain("plain-text-pw", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("name-from-env", yaml, StringComparison.Ordinal);
        Assert.Contains("password: \"***\"", yaml, StringComparison.Ordinal);
        Assert.Contains("name: \"***\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ToYaml_ConfigWithoutSecrets_LoadsBackToSameDigest()
    {
        var original = Load(ConfigFixtures.DesignSketchComplete
            .Replace("webhook_url: \"${SLACK_WEBHOOK_URL}\"", "webhook_url: \"https://hooks.example.com/x\"", StringComparison.Ordinal)
            .Replace(", secret: \"${HOOK_SECRET}\"", string.Empty, StringComparison.Ordinal)
            .Replace("- { id: slack, slack:", "- { id: slack, send_resolved: false, slack:", StringComparison.Ordinal)
            .Replace("  require_approval_in: [production]\n", "  require_approval_in: [production]\n  param_pattern: '^[a-z$]+$$'\n", StringComparison.Ordinal));
        var slackRemoved = ConfigRenderer.ToYaml(original).Replace("webhook_url: \"***\"", "webhook_url: \"https://hooks.example.com/x\"", StringComparison.Ordinal);

        var reloaded = Load(slackRemoved);

        Assert.Equal(original.Digest, reloaded.Digest);
        Assert.Equal("^[a-z$]+$", reloaded.Runbooks.ParamPattern);
    }

    [Fact]
    public void ToYaml_Output_StartsWithDigestHeaderAndUsesConfigKeys()
    {
        var config = Load(Base);

        var yaml = ConfigRenderer.ToYaml(config);

        Assert.Contains("# digest: " + config.Digest, yaml, StringComparison.Ordinal);
        Assert.Contains("escalation_policies:", yaml, StringComparison.Ordinal);
        Assert.Contains("every: 10s", yaml, StringComparison.Ordinal);
        Assert.Contains("tier: \"1\"", yaml, StringComparison.Ordinal);
    }
}
