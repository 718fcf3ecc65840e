using Vigil.Core.Checks;
using Vigil.Core.Runbooks;
using Vigil.Server.Checks;

namespace Vigil.Server.Runbooks;

/// <summary>
/// Holds a step at its health gate: reads the checks engine's live state (<see cref="CheckRegistry.Snapshot"/>, never a new
/// probe) every <see cref="PollInterval"/> and asks <see cref="HealthGates.Evaluate"/> until it decides. Progress goes to the
/// step's output when what it waits for changes, so the log says which check held the run and why.
/// </summary>
internal sealed class GateRunner(CheckRegistry? checks, TimeProvider time)
{
    /// <summary>How often the live state is read; the engine's own state changes at probe intervals, so this only bounds the delay.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs <paramref name="gate"/> to its verdict; returns null when it passed, else the sentence that says why it failed.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled while the gate held it.</exception>
    public async Task<string?> RunAsync(HealthGate gate, TimeSpan defaultTimeout, Action<string> note, CancellationToken ct)
    {
        note($"[vigil] gate: {gate.Describe(defaultTimeout)}");
        var began = time.GetUtcNow();
        string? last = null;
        while (true)
        {
            var decision = HealthGates.Evaluate(gate, Live(), began, time.GetUtcNow(), defaultTimeout);
            switch (decision.Verdict)
            {
                case GateVerdict.Passed:
                    note($"[vigil] gate passed: {decision.Message}");
                    return null;
                case GateVerdict.Failed:
                    note($"[vigil] gate failed: {decision.Message}");
                    return decision.Message;
            }

            // Only the state part of the message, so a countdown does not write a line per poll.
            var state = decision.Message.Split(" to go", 2)[0];
            if (state != last && !decision.Message.Contains(" to go", StringComparison.Ordinal))
            {
                note($"[vigil] {decision.Message}");
            }

            last = state;
            await Task.Delay(PollInterval, time, ct);
        }
    }

    private IReadOnlyList<GateCheck> Live() => checks is null
        ? []
        : checks.Snapshot().Select(s => new GateCheck(s.Definition.Key, s.Status.State, s.Status.Since, s.Status.LastResult?.Message, s.Status.Paused)).ToList();
}
