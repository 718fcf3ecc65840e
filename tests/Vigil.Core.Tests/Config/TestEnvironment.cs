namespace Vigil.Core.Tests.Config;

/// <summary>An injectable environment for <c>${VAR}</c> expansion.</summary>
internal static class TestEnvironment
{
    public const string SlackWebhookUrl = "https://hooks.slack.com/services/T000/B000/XyZsEcReTtOkEn";
    public const string HookSecret = "hmac-key-7f3a9c";

    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>
    {
        ["SLACK_WEBHOOK_URL"] = SlackWebhookUrl,
        ["HOOK_SECRET"] = HookSecret,
    };

    public static string? Lookup(string name) => Values.TryGetValue(name, out var v) ? v : null;

    public static Func<string, string?> With(params (string Name, string Value)[] extra)
    {
        var all = new Dictionary<string, string>(Values);
        foreach (var (name, value) in extra)
        {
            all[name] = value;
        }

        return name => all.TryGetValue(name, out var v) ? v : null;
    }
}
