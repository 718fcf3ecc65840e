using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Processes;

namespace Vigil.Probes.Commands;

/// <summary>
/// Command check. Without thresholds the exit code decides, as for Nagios plugins: 0 ok,
/// 1 warning, 2 critical, anything else unknown. With thresholds, a command that exits 0 must print
/// a number (the last one on stdout counts), which is compared against them.
/// </summary>
internal sealed partial class CommandProber : IProber
{
    private const int StderrLines = 3;

    private readonly ProcessRunner _runner;
    private readonly ProbeOptions _options;
    private readonly TimeProvider _timeProvider;

    public CommandProber(ProcessRunner runner, ProbeOptions options, TimeProvider timeProvider)
    {
        _runner = runner;
        _options = options;
        _timeProvider = timeProvider;
    }

    public CheckKind Kind => CheckKind.Command;

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var command = check.Command ?? throw new ArgumentException("not a command check", nameof(check));
        var display = CheckTarget.Command(command);
        var workingDir = command.WorkingDir is { Length: > 0 } dir ? _options.ResolvePath(dir)
            : string.IsNullOrEmpty(_options.BaseDirectory) ? null : _options.BaseDirectory;

        ProcessSpec spec;
        if (command.Run is { Length: > 0 } run)
        {
            spec = ProcessSpec.Shell(run, command.Env, workingDir, check.Timeout);
        }
        else if (command.Argv.Count > 0)
        {
            spec = new ProcessSpec(command.Argv[0], command.Argv.Skip(1), command.Env, workingDir, check.Timeout);
        }
        else
        {
            return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero, "the command check sets neither `run` nor `argv`");
        }

        spec = spec with { MaxOutputBytes = _options.MaxCommandOutputBytes, KillGrace = _options.KillGrace };
        var result = await _runner.RunAsync(spec, ct);
        var latency = result.Duration;

        switch (result.Outcome)
        {
            case ProcessOutcome.FailedToStart:
                return ProbeResult.Critical(FailureReason.Exec, latency, $"command {display} could not start: {result.Error}");
            case ProcessOutcome.TimedOut:
            case ProcessOutcome.Cancelled:
                return ProbeResult.Critical(FailureReason.Timeout, latency,
                    $"command {display} did not finish within {Duration.Format(check.Timeout)}; its process tree was killed{Tail(result)}");
            default:
                break;
        }

        var exit = result.ExitCode ?? -1;
        if (exit != 0)
        {
            var message = $"command {display} exited {exit}{Tail(result)}";
            return exit switch
            {
                1 => ProbeResult.Warning(FailureReason.Exec, latency, message),
                2 => ProbeResult.Critical(FailureReason.Exec, latency, message),
                _ => ProbeResult.Unknown(FailureReason.Exec, latency, message),
            };
        }

        if (!check.HasThresholds)
        {
            var said = ProbeText.LastLines(result.Stdout.Text, 1, 120);
            return ProbeResult.Ok(latency, $"command {display} exited 0{(said.Length > 0 ? $": {said}" : string.Empty)}");
        }

        if (!TryLastNumber(result.Stdout.Text, out var value))
        {
            return ProbeResult.Unknown(FailureReason.Exec, latency,
                $"command {display} printed no number (got {ProbeText.Quote(result.Stdout.Text.Trim(), 60)})");
        }

        return Thresholds.Evaluate(check, value, latency, CheckTarget.ValueName(check));
    }

    /// <summary>The whole trimmed output when it is a number, else the last number in it ("disk 85%" gives 85).</summary>
    internal static bool TryLastNumber(string output, out double value)
    {
        var trimmed = output.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }

        var matches = NumberPattern().Matches(trimmed);
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            if (double.TryParse(matches[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
            {
                return true;
            }
        }

        value = 0;
        return false;
    }

    private static string Tail(ProcessResult result)
    {
        var text = result.Stderr.Text.Trim().Length > 0 ? result.Stderr.Text : result.Stdout.Text;
        var lines = ProbeText.LastLines(text, StderrLines);
        return lines.Length > 0 ? $": {lines}" : string.Empty;
    }

    [GeneratedRegex(@"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();
}
