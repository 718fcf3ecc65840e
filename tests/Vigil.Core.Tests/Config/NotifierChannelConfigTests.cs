using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

/// <summary>The chat and push notifiers (Teams … Twilio): bound from YAML, secrets from the environment, file:line errors.</summary>
public sealed class NotifierChannelConfigTests
{
    [Fact]
    public void Load_EveryChannel_BindsWithSecretsFromTheEnvironment()
    {
        const string yaml = """
            vigil: { name: t }
            notifiers:
              - id: teams
                teams: { webhook_url: "${TEAMS_URL}" }
              - id: mm
                mattermost: { webhook_url: "${MM_URL}", channel: ops, mention: "@channel" }
              - id: discord
                discord: { webhook_url: "${DISCORD_URL}" }
              - id: tg
                telegram: { bot_token: "${TG_TOKEN}", chat_id: "-1001234567890" }
              - id: ntfy
                ntfy: { topic: "${NTFY_TOPIC}", token: "${NTFY_TOKEN}", page_priority: 4 }
              - id: pushover
                pushover: { token: "${PO_TOKEN}", user: "${PO_USER}", emergency_retry: 2m, emergency_expire: 2h }
              - id: pd
                pagerduty: { routing_key: "${PD_KEY}", api_url: "https://events.eu.pagerduty.com" }
              - id: call
                twilio: { account_sid: AC0123456789abcdef0123456789abcdef, auth_token: "${TWILIO_TOKEN}", from: "+15017122661", mode: voice }
            """;
        var env = TestEnvironment.With(
            ("TEAMS_URL", "https://prod.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SIG123"),
            ("MM_URL", "https://chat.example.com/hooks/xyz"), ("DISCORD_URL", "https://discord.com/api/webhooks/1/tok"),
            ("TG_TOKEN", "123456:ABCdef"), ("NTFY_TOPIC", "vigil-secret-topic"), ("NTFY_TOKEN", "tk_abc"),
            ("PO_TOKEN", "azGDORePK8gMaC0QOYAMyEEuzJnyUi"), ("PO_USER", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"), ("PD_KEY", "R0UT1NGKEY"),
            ("TWILIO_TOKEN", "twiliotoken"));

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", env);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        var n = result.Config!.Notifiers;
        Assert.Equal("https://prod.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SIG123", n[0].Teams!.WebhookUrl);
        Assert.Equal("@channel", n[1].Mattermost!.Mention);
        Assert.Equal("Vigil", n[2].Discord!.Username);
        Assert.Equal("-1001234567890", n[3].Telegram!.ChatId);
        Assert.Equal("https://api.telegram.org", n[3].Telegram!.ApiUrl);
        Assert.Equal((4, 3, "https://ntfy.sh"), (n[4].Ntfy!.PagePriority, n[4].Ntfy!.NoticePriority, n[4].Ntfy!.Url));
        Assert.Equal((2, TimeSpan.FromMinutes(2), TimeSpan.FromHours(2)), (n[5].Pushover!.PagePriority, n[5].Pushover!.EmergencyRetry, n[5].Pushover!.EmergencyExpire));
        Assert.Equal(("critical", "https://events.eu.pagerduty.com"), (n[6].PagerDuty!.PageSeverity, n[6].PagerDuty!.ApiUrl));
        Assert.Equal(TwilioMode.Voice, n[7].Twilio!.Mode);
    }

    [Fact]
    public void Load_BadChannelValues_ErrorsWithFileLineAndPath()
    {
        const string yaml = """
            notifiers:
              - id: tg
                telegram:
                  bot_token: "${TG_TOKEN}"
                  chat_id: "ops room"
              - id: ntfy
                ntfy: { topic: "${NTFY_TOPIC}", page_priority: 6 }
              - id: pushover
                pushover:
                  token: "${PO_TOKEN}"
                  user: "${PO_USER}"
                  emergency_retry: 10s
              - id: pd
                pagerduty: { routing_key: "${PD_KEY}", page_severity: sev1 }
              - id: sms
                twilio:
                  account_sid: AC0123456789abcdef0123456789abcdef
                  auth_token: "${TWILIO_TOKEN}"
                  from: "0151 1234567"
              - id: both
                teams: { webhook_url: "${TEAMS_URL}" }
                discord: { webhook_url: "${TEAMS_URL}" }
            """;
        var env = TestEnvironment.With(("TG_TOKEN", "not-a-token"), ("NTFY_TOPIC", "t"), ("PO_TOKEN", "p"), ("PO_USER", "u"), ("PD_KEY", "k"),
            ("TWILIO_TOKEN", "tok"), ("TEAMS_URL", "https://example.com/hook"));

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", env);

        Assert.False(result.Success);
        var errors = result.Errors.Select(e => (e.File, e.Line, e.Path)).ToList();
        Assert.Contains(("vigil.yaml", 4, "notifiers[0].telegram.bot_token"), errors);
        Assert.Contains(("vigil.yaml", 5, "notifiers[0].telegram.chat_id"), errors);
        Assert.Contains(("vigil.yaml", 7, "notifiers[1].ntfy.page_priority"), errors);
        Assert.Contains(("vigil.yaml", 12, "notifiers[2].pushover.emergency_retry"), errors);
        Assert.Contains(("vigil.yaml", 14, "notifiers[3].pagerduty.page_severity"), errors);
        Assert.Contains(("vigil.yaml", 19, "notifiers[4].twilio.from"), errors);
        Assert.Contains(result.Errors, e => e.Path.StartsWith("notifiers[5]", StringComparison.Ordinal) && e.Message.Contains("`teams`", StringComparison.Ordinal));
        Assert.Contains("must be at least 30s", result.Errors.Single(e => e.Path.EndsWith("emergency_retry", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Errors, e => e.ToString().Contains("not-a-token", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SecretWrittenLiterally_Warns()
    {
        const string yaml = """
            vigil: { name: t }
            notifiers:
              - id: tg
                telegram: { bot_token: "123456:LITERALsecret", chat_id: "@ops" }
            """;

        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", TestEnvironment.With());

        Assert.True(result.Success, string.Join("\n", result.Errors));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("notifiers[0].telegram.bot_token", 4), (warning.Path, warning.Line));
        Assert.Contains("${BOT_TOKEN}", warning.Message, StringComparison.Ordinal);
    }
}
