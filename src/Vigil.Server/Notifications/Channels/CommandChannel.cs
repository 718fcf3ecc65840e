using System.Globalization;
using System.Text;
using Vigil.Core.Config;
using Vigil.Core.Notifications;
using Vigil.Probes.Processes;

namespace Vigil.Server.Notifications.Channels;

/// <summary>
/// A local command (for SMS gateways and the like): <c>run</c> through <c>/bin/sh -c</c>, or
/// <c>argv</c> without a shell. stdin is the same JSON document a webhook receives
/// (<see cref="NotificationPayload"/>); the environment adds the notifier's <c>env</c> and
/// <c>VIGIL_NOTIFICATION_KIND</c> (trigger|resolve|ticket), <c>VIGIL_INCIDENT_ID</c>,
/// <c>VIGIL_SEVERITY</c> and <c>VIGIL_NOTIFICATION_ID</c>, which win over <c>env</c>. Exit code 0 is
/// a delivery; any other exit fails with the code and the end of stderr. At the notifier's
/// timeout the command's whole process group is stopped.
/// </summary>
internal sealed class CommandChannel
{
    /// <summary>stdout and stderr kept per run; the reply shows only their end.</summary>
    private const int MaxOutputBytes = 16 * 1024;

    /// <summary>After SIGTERM at the timeout, how long the command gets before SIGKILL.</summary>
    private static readonly TimeSpan _killGrace = TimeSpan.FromSeconds(1);

    private readonly ProcessRunner _runner;

    public CommandChannel(ProcessRunner runner)
    {
        _runner = runner;
    }

    public static string Target(CommandNotifierConfig config) => $"command {DeliveryText.Program(config.Run, config.Argv)}";

    public async Task<DeliveryResult> SendAsync(CommandNotifierConfig config, NotificationMessage message, TimeSpan timeout, CancellationToken ct)
    {
        var target = Target(config);
        var env = new Dictionary<string, string>(config.Env, StringComparer.Ordinal)
        {
            ["VIGIL_NOTIFICATION_KIND"] = NotificationPayload.KindName(message.Kind),
            ["VIGIL_NOTIFICATION_ID"] = message.Id,
            ["VIGIL_INCIDENT_ID"] = message.IncidentId.ToString(CultureInfo.InvariantCulture),
            ["VIGIL_SEVERITY"] = message.Severity,
        };

        ProcessSpec spec;
        if (config.Run is { Length: > 0 } run)
        {
            spec = ProcessSpec.Shell(run, env, null, timeout);
        }
        else if (config.Argv.Count > 0 && !string.IsNullOrWhiteSpace(config.Argv[0]))
        {
            spec = new ProcessSpec(config.Argv[0], config.Argv.Skip(1), env, null, timeout);
        }
        else
        {
            return DeliveryResult.Failed("the command notifier sets neither `run` nor `argv`", TimeSpan.Zero);
        }

        spec = spec with
        {
            StandardInput = Encoding.UTF8.GetString(NotificationPayload.ToUtf8(message)),
            MaxOutputBytes = MaxOutputBytes,
            KillGrace = _killGrace,
        };

        var result = await _runner.RunAsync(spec, ct);
        var stderr = DeliveryText.Tail(result.Stderr.Text);
        switch (result.Outcome)
        {
            case ProcessOutcome.FailedToStart:
                return DeliveryResult.Failed($"{target} could not start: {result.Error}", TimeSpan.Zero);
            case ProcessOutcome.Cancelled:
            case ProcessOutcome.TimedOut:
                // Cancelled is our token: the notifier deadline, or the caller giving up (the
                // dispatcher rethrows for the caller). Both killed the process group.
                return DeliveryResult.Failed(DeliveryText.TimedOut(target, timeout, processKilled: true), TimeSpan.Zero,
                    reply: stderr.Length == 0 ? "killed at the timeout" : $"killed at the timeout; stderr: {stderr}");
            default:
                break;
        }

        var exit = result.ExitCode ?? -1;
        if (exit == 0)
        {
            var stdout = DeliveryText.Tail(result.Stdout.Text, lines: 1, max: DeliveryText.MaxReplyChars);
            return new DeliveryResult(true, null, stdout.Length == 0 ? "exit 0" : $"exit 0: {stdout}", TimeSpan.Zero, null);
        }

        var reply = stderr.Length == 0 ? $"exit {exit}" : $"exit {exit}: {stderr}";
        return DeliveryResult.Failed($"{target} exited {exit}" + (stderr.Length == 0 ? "" : $": {stderr}"), TimeSpan.Zero, reply: reply);
    }
}
