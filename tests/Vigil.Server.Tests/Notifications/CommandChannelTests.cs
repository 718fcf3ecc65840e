using System.Globalization;
using System.Text.Json;
using Vigil.Core.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Notifications;

public sealed class CommandChannelTests
{
    [Fact]
    public async Task SendAsync_ShellCommand_GetsJsonOnStdinAndVigilEnvironment()
    {
        using var dir = new TempDirectory();
        using var host = NotificationFixtures.Channels();
        var notifier = NotificationFixtures.Command(
            run: "cat > \"$OUT/stdin.json\"; printf '%s|%s|%s|%s' \"$VIGIL_NOTIFICATION_KIND\" \"$VIGIL_INCIDENT_ID\" \"$VIGIL_SEVERITY\" \"$GATEWAY\" > \"$OUT/env.txt\"; echo queued sms-77",
            env: new Dictionary<string, string> { ["OUT"] = dir.Path, ["GATEWAY"] = "gw1", ["VIGIL_SEVERITY"] = "overridden?" });

        var result = await host.SendAsync(notifier, NotificationFixtures.Message(recipient: NotificationFixtures.Alice));

        Assert.True(result.Success, result.Error);
        Assert.Equal("exit 0: queued sms-77", result.Reply);
        Assert.True(result.Latency > TimeSpan.Zero);
        Assert.Equal("trigger|12|P1|gw1", await File.ReadAllTextAsync(dir.File("env.txt")));
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(dir.File("stdin.json")));
        var root = doc.RootElement;
        Assert.Equal("1", root.GetProperty("version").GetString());
        Assert.Equal("trigger", root.GetProperty("kind").GetString());
        Assert.Equal(12, root.GetProperty("incident").GetProperty("id").GetInt64());
        Assert.Equal("Disk full on db-1", root.GetProperty("incident").GetProperty("title").GetString());
        Assert.Equal("+4915100000", root.GetProperty("recipient").GetProperty("phone").GetString());
    }

    [Fact]
    public async Task SendAsync_Argv_RunsWithoutAShell()
    {
        using var dir = new TempDirectory();
        using var host = NotificationFixtures.Channels();
        var target = dir.File("out; rm -rf nothing.json");
        var notifier = NotificationFixtures.Command(argv: ["/bin/sh", "-c", "cat > \"$1\"", "sh", target]);

        var result = await host.SendAsync(notifier, NotificationFixtures.Message(NotificationKind.Ticket));

        Assert.True(result.Success, result.Error);
        Assert.Equal("exit 0", result.Reply);
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(target));
        Assert.Equal("ticket", doc.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task SendAsync_NonZeroExit_FailedWithExitCodeAndStderrTail()
    {
        using var host = NotificationFixtures.Channels();
        var notifier = NotificationFixtures.Command(
            run: "cat > /dev/null; echo 'line one' >&2; echo \"gateway said no (token $API_TOKEN)\" >&2; exit 3",
            env: new Dictionary<string, string> { ["API_TOKEN"] = "tok-1234567890abcdef" });

        var result = await host.SendAsync(notifier, NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal("exit 3: line one | gateway said no (token ***)", result.Reply);
        Assert.Equal("command `cat …` exited 3: line one | gateway said no (token ***)", result.Error);
        Assert.DoesNotContain("tok-1234567890abcdef", host.Logs.All);
    }

    [Fact]
    public async Task SendAsync_SleepsPastTimeout_KilledAndFailed()
    {
        using var dir = new TempDirectory();
        using var host = NotificationFixtures.Channels();
        var pidFile = dir.File("pid");
        var notifier = NotificationFixtures.Command(run: $"echo $$ > '{pidFile}'; exec sleep 30", timeout: TimeSpan.FromSeconds(1));

        var result = await host.SendAsync(notifier, NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal("command `echo …` did not finish within 1s (notifier timeout); its process group was killed", result.Error);
        Assert.Equal("killed at the timeout", result.Reply);
        Assert.True(result.Latency < TimeSpan.FromSeconds(10), $"took {result.Latency}");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), "the sleeping command must have been killed");
    }

    [Fact]
    public async Task SendAsync_CallerCancelsRunningCommand_ThrowsOperationCanceled()
    {
        using var host = NotificationFixtures.Channels();
        using var cts = new CancellationTokenSource();

        // The process is started before SendAsync first yields, so this cancels a running command.
        var send = host.SendAsync(NotificationFixtures.Command(run: "exec sleep 30", timeout: TimeSpan.FromSeconds(30)), NotificationFixtures.Message(), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SendAsync_MissingProgram_FailedToStart()
    {
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Command(argv: ["/nonexistent/vigil-sms"]), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.StartsWith("command `/nonexistent/vigil-sms` could not start: ", result.Error);
    }
}
