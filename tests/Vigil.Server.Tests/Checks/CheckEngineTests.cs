using Vigil.Core.Audit;
using Vigil.Core.Checks;
using Vigil.Server.Checks;

namespace Vigil.Server.Tests.Checks;

public sealed class CheckEngineTests
{
    [Fact]
    public async Task ThousandsOfChecks_FakeClock_EachRunsOnItsIntervalSpreadAcrossIt()
    {
        // 40 services x 50 checks = 2,000 checks every 5 s, for 30 s of fake time in 100 ms steps.
        await using var h = await EngineHarness.StartAsync(EngineHarness.ServicesYaml(40, 50));
        var start = h.Time.GetUtcNow();

        await h.RunForAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

        Assert.Equal(2000, h.Probe.Starts.Count);
        foreach (var (key, starts) in h.Probe.Starts)
        {
            var times = starts.ToList();
            Assert.InRange(times.Count, 5, 7);
            // Exactly one interval apart: no drift, no double runs.
            Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(5), p.Second - p.First));
        }

        // Phases spread over the 5 s interval: 50 buckets of 100 ms, none more than 3x the fair share.
        var firstRuns = h.Probe.Starts.Values.Select(q => q.First()).ToList();
        var buckets = firstRuns.GroupBy(t => (int)((t - start).Ticks % TimeSpan.FromSeconds(5).Ticks / TimeSpan.FromMilliseconds(100).Ticks)).ToList();
        Assert.True(buckets.Count >= 45, $"only {buckets.Count} of 50 buckets used");
        Assert.True(buckets.Max(b => b.Count()) <= 3 * 2000 / 50, $"busiest 100 ms bucket has {buckets.Max(b => b.Count())} checks");
        Assert.Equal(1, h.Probe.MaxOverlap);
        Assert.Equal(0, h.Scheduler.Stats.Skipped);
    }

    [Fact]
    public async Task SlowCheck_StillRunningAtNextDue_IsSkippedNotOverlapped()
    {
        await using var h = await EngineHarness.StartAsync(EngineHarness.ServicesYaml(1, 2));
        var gate = new TaskCompletionSource();
        h.Probe.Gates["c0x0"] = gate;

        // Three intervals pass while c0x0 hangs; its later due times are skipped.
        for (var i = 0; i < 160; i++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }

        Assert.Single(h.Probe.Starts["c0x0"]);
        Assert.InRange(h.Probe.Starts["c0x1"].Count, 3, 4);
        Assert.InRange(h.Scheduler.Stats.Skipped, 2, 3);
        Assert.Contains(h.Registry.Snapshot(), s => s.Definition.Check.Id == "c0x0" && s.Skipped >= 2);

        gate.SetResult();
        h.Probe.Gates.Clear();
        await h.RunForAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, h.Probe.MaxOverlap);
        Assert.InRange(h.Probe.Starts["c0x0"].Count, 3, 4);
    }

    [Fact]
    public async Task FailingCheck_AfterFailAfter_WritesStateChangeAndAuditEntry()
    {
        await using var h = await EngineHarness.StartAsync(EngineHarness.ServicesYaml(1, 1, extra: ", fail_after: 3"));
        await h.RunForAsync(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthState.Ok, h.Registry.Snapshot().Single().Status.State);

        h.Probe.Outcomes["c0x0"] = ProbeResult.Critical(FailureReason.Connect, TimeSpan.FromMilliseconds(3), "connection refused");
        await h.RunForAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthState.Ok, h.Registry.Snapshot().Single().Status.State);

        await h.RunForAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250));
        var status = h.Registry.Snapshot().Single().Status;
        Assert.Equal(HealthState.Critical, status.State);
        Assert.Equal(FailureReason.Connect, status.Reason);

        await h.Writer.DrainNowAsync(CancellationToken.None);
        var changes = await h.Store.ReadAsync((s, c) => s.Checks.ListChangesAsync("svc0/c0x0", DateTimeOffset.MinValue, 10, c), CancellationToken.None);
        Assert.Equal([HealthState.Critical, HealthState.Ok], changes.Select(c => c.To));
        var audit = await h.Store.ReadAsync((s, c) => s.Audit.TailAsync(10, c), CancellationToken.None);
        var entry = Assert.Single(audit, e => e.Action == "check.state" && e.After!.Contains("critical", StringComparison.Ordinal));
        Assert.Equal("system:checks", entry.Actor);
        Assert.Equal("check/svc0/c0x0", entry.Target);
    }

    [Fact]
    public async Task PausedCheck_IsNotProbed_AndPauseIsAudited()
    {
        await using var h = await EngineHarness.StartAsync(EngineHarness.ServicesYaml(1, 1));
        await h.RunForAsync(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(250));
        var before = h.Probe.Starts["c0x0"].Count;

        await h.Registry.SetPausedAsync("svc0/c0x0", true, "alice", "planned DB migration", CancellationToken.None);
        await h.RunForAsync(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
        Assert.Equal(before, h.Probe.Starts["c0x0"].Count);

        await h.Registry.SetPausedAsync("svc0/c0x0", false, "alice", null, CancellationToken.None);
        await h.RunForAsync(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(250));
        Assert.True(h.Probe.Starts["c0x0"].Count > before);

        var audit = await h.Store.ReadAsync((s, c) => s.Audit.TailAsync(10, c), CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "check.pause" && e.Actor == "alice" && e.Reason == "planned DB migration");
        Assert.Contains(audit, e => e.Action == "check.resume");
    }

    [Fact]
    public async Task History_IsFlushedAsHourRollups_AndSurvivesRestartWithinTheHour()
    {
        using var dir = new Support.TempDirectory();
        var yaml = EngineHarness.ServicesYaml(1, 1, every: "10s");
        await using (var h = await EngineHarness.StartAsync(yaml, dir))
        {
            h.Probe.Outcomes["c0x0"] = ProbeResult.Critical(FailureReason.Timeout, TimeSpan.FromSeconds(1), "timed out");
            await h.RunForAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
            await h.Flusher.FlushNowAsync(CancellationToken.None);
            var hours = await h.Store.ReadAsync((s, c) => s.Checks.ListHoursAsync("svc0/c0x0", DateTimeOffset.MinValue, true, c), CancellationToken.None);
            var hour = Assert.Single(hours);
            Assert.Equal(12, hour.Count);
            Assert.Equal(12, hour.Failures);
            Assert.Equal(12, hour.FailuresByReason[FailureReason.Timeout]);
            Assert.Equal(12, hour.Raw!.Count);
            Assert.Equal(1000, hour.P95LatencyMs);
        }

        // A restart in the same hour continues the bucket instead of overwriting it. The store
        // file is reused; the harness creates a fresh fake clock at the same start, so advance to
        // where the first run stopped.
        await using var again = await EngineHarness.StartAsync(yaml, dir, new DateTimeOffset(2026, 11, 23, 10, 2, 0, TimeSpan.Zero));
        await again.RunForAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
        await again.Flusher.FlushNowAsync(CancellationToken.None);
        var after = await again.Store.ReadAsync((s, c) => s.Checks.ListHoursAsync("svc0/c0x0", DateTimeOffset.MinValue, false, c), CancellationToken.None);
        Assert.Equal(18, Assert.Single(after).Count);
    }

    [Fact]
    public async Task ConfigReload_AddsAndRemovesChecks_OthersKeepTheirRhythm()
    {
        await using var h = await EngineHarness.StartAsync(EngineHarness.ServicesYaml(1, 3));
        await h.RunForAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var keptBefore = h.Probe.Starts["c0x0"].ToList();

        // c0x2 goes, c0x3 arrives; c0x0 and c0x1 are unchanged.
        var yaml = EngineHarness.ServicesYaml(1, 4).Replace("      - { id: c0x2,", "      # - { id: c0x2,", StringComparison.Ordinal);
        await File.WriteAllTextAsync(h.Config.Current.Path, yaml);
        var (outcome, errors) = await h.Config.ReloadAsync("test", CancellationToken.None);
        Assert.True(outcome == Vigil.Server.Config.ReloadOutcome.Applied, string.Join("\n", errors));
        var removedRuns = h.Probe.Starts["c0x2"].Count;

        await h.RunForAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Assert.Equal(removedRuns, h.Probe.Starts["c0x2"].Count);
        Assert.InRange(h.Probe.Starts["c0x3"].Count, 1, 3);
        var kept = h.Probe.Starts["c0x0"].ToList();
        Assert.Equal(keptBefore, kept.Take(keptBefore.Count));
        Assert.All(kept.Zip(kept.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(5), p.Second - p.First));
        Assert.DoesNotContain(h.Registry.Snapshot(), x => x.Definition.Check.Id == "c0x2");
    }

    [Fact]
    public async Task Restart_LoadsHeartbeatsAndDropsRemovedChecks_InTheStartUpRead()
    {
        using var dir = new Support.TempDirectory();
        var yaml = """
            vigil:
              name: engine-test
            services:
              - id: jobs
                checks:
                  - { id: nightly, heartbeat: { period: 1h, grace: 5m }, every: 10s }
                  - { id: gone, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }
            """;
        await using (var h = await EngineHarness.StartAsync(yaml, dir))
        {
            var def = CheckDefinition.FromConfig(h.Config.Current.Config).Single(d => d.Check.Id == "nightly");
            var token = new HeartbeatTokens(new byte[32]).TokenFor(def);
            Assert.Equal("jobs/nightly", await h.Runner.RecordHeartbeatAsync(token, HeartbeatPingKind.Fail, 3, CancellationToken.None));
            await h.RunForAsync(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));
            await h.Writer.DrainNowAsync(CancellationToken.None);
        }

        // Restart without "gone": the failed ping is read back (an evaluation without it would
        // say ok, the job is not late yet), and the removed check's live status row is deleted.
        await using var again = await EngineHarness.StartAsync(yaml.Replace("      - { id: gone,", "      # - { id: gone,", StringComparison.Ordinal), dir,
            new DateTimeOffset(2026, 11, 23, 10, 0, 30, TimeSpan.Zero));
        await again.RunForAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));

        var nightly = Assert.Single(again.Registry.Snapshot());
        Assert.Equal(HealthState.Critical, nightly.Status.State);
        Assert.Equal(FailureReason.Exec, nightly.Status.LastResult!.Reason);
        var stored = await again.Store.ReadAsync((s, c) => s.Checks.ListStatusAsync(c), CancellationToken.None);
        Assert.Equal(["jobs/nightly"], stored.Select(x => x.Status.Key));
    }
}
