using Vigil.Core.Operations;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>Plain runbook data for the run rules' tests.</summary>
internal static class RunTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static PlannedStep Step(int index, string? name = null, bool mutating = false, bool confirm = false, int line = 10, TimeSpan? timeout = null) =>
        new(index, false, name, null, line, "true", "true", timeout ?? TimeSpan.FromMinutes(5), mutating, confirm, []);

    public static RunRequest Request(string? service = "edge-api", IReadOnlyList<string>? confirmed = null, bool stepByStep = false, string? freezeOverride = null) =>
        new("restart", "runbooks/restart.md", "restart", service, "production", new Dictionary<string, string>(), "api", false, confirmed ?? [], stepByStep,
            freezeOverride, null, null);

    public static RunbookPlan Plan(params PlannedStep[] steps) =>
        new(RunbookParser.Parse("# Restart\n", "runbooks/restart.md"), null, steps, [], new Dictionary<string, string>(), new Dictionary<string, string>(), [], []);

    public static Freeze Freeze(long id, string? service, DateTimeOffset? lifted = null) =>
        new(id, service, "release week", "alice", T0, lifted, lifted is null ? null : "bob");
}
