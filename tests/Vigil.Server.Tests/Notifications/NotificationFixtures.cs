using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core.Config;
using Vigil.Core.Notifications;
using Vigil.Server.Notifications.Channels;

namespace Vigil.Server.Tests.Notifications;

/// <summary>Messages, notifiers and a <see cref="NotificationChannels"/> built through the real registration.</summary>
internal static class NotificationFixtures
{
    public static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static NotificationMessage Message(
        NotificationKind kind = NotificationKind.Trigger,
        NotificationRecipient? recipient = null,
        string? url = "https://ops.example.com/incidents/12",
        string title = "Disk full on db-1") =>
        new(
            Id: "n-12-0-0-alice",
            Kind: kind,
            IncidentId: 12,
            Title: title,
            Severity: "P1",
            Service: "api",
            Status: kind == NotificationKind.Resolve ? "resolved" : "triggered",
            Summary: "disk / at 97% (critical above 95)",
            Url: url,
            At: At,
            Step: 1,
            Repeat: 0,
            Recipient: recipient,
            Installation: "test-install");

    public static NotificationRecipient Alice { get; } = new("alice", "Alice", "alice@example.com", "@alice", "+4915100000");

    public static NotifierConfig Webhook(string url, string? secret = null, TimeSpan? timeout = null, bool tlsVerify = true, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        Id = "hook",
        Webhook = new WebhookNotifierConfig { Url = url, Secret = secret, TlsVerify = tlsVerify, Headers = headers ?? new Dictionary<string, string>() },
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    public static NotifierConfig Slack(string url, string? channel = null, string? mention = null, TimeSpan? timeout = null) => new()
    {
        Id = "slack",
        Slack = new SlackNotifierConfig { WebhookUrl = url, Channel = channel, Mention = mention, Username = "Vigil Test" },
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    public static NotifierConfig Email(int port, IReadOnlyList<string>? to = null, string? username = null, string? password = null,
        SmtpSecurity security = SmtpSecurity.None, TimeSpan? timeout = null) => new()
    {
        Id = "ops-email",
        Email = new EmailNotifierConfig
        {
            Smtp = $"smtp://127.0.0.1:{port}",
            From = "vigil@example.com",
            To = to ?? ["ops@example.com"],
            Username = username,
            Password = password,
            Security = security,
        },
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    public static NotifierConfig Command(string? run = null, IReadOnlyList<string>? argv = null, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null) => new()
    {
        Id = "sms",
        Command = new CommandNotifierConfig { Run = run, Argv = argv ?? [], Env = env ?? new Dictionary<string, string>() },
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    /// <summary>The channels as the server would build them, on the given clock.</summary>
    public static ChannelsHost Channels(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider()));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddVigilNotificationChannels();
        var provider = services.BuildServiceProvider();
        return new ChannelsHost(provider);
    }

    internal sealed class ChannelsHost(ServiceProvider provider) : IDisposable
    {
        public NotificationChannels Channels { get; } = (NotificationChannels)provider.GetRequiredService<Server.Notifications.INotificationChannel>();

        public CapturingLoggerProvider Logs { get; } = (CapturingLoggerProvider)provider.GetServices<ILoggerProvider>().First(p => p is CapturingLoggerProvider);

        public Task<DeliveryResult> SendAsync(NotifierConfig notifier, NotificationMessage message, CancellationToken ct = default) =>
            Channels.SendAsync(notifier, message, ct);

        public void Dispose() => provider.Dispose();
    }
}
