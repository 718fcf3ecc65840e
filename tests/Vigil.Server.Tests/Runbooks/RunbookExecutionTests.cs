using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Runbooks;
using Vigil.Server.Api;
using Vigil.Server.Http;
using Vigil.Tests.Processes;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>Runs real runbooks as real bash child processes inside the test's temporary folder, through the real API.</summary>
public sealed class RunbookExecutionTests
{
    private const string Deploy = """
        ---
        id: deploy
        service: web
        params:
          - name: version
            description: version to write
        ---
        # Deploy

        ## Release

        ```bash {name=write mutating=true}
        # Write the version file (it stands in for a real deploy; a file in the working folder alone is not a change).
        echo "<version>" > version.txt
        echo "wrote <version>"
        ```

        ```bash {name=check}
        grep -q "$(cat version.txt)" version.txt && echo verified >&2
        ```
        """;

    private const string Failing = """
        ---
        id: failing
        service: web
        ---
        # Failing

        ## Migrate

        ```bash {name=first mutating=true}
        touch first.ran
        ```

        ```bash {name=boom}
        echo "about to fail"
        exit 3
        ```

        ```bash {name=never}
        touch never.ran
        ```

        ### Rollback

        ```bash {name=undo}
        rm first.ran
        touch rolled.back
        ```
        """;

    [Fact]
    public async Task Success_RunsEveryStepInTheRunbookFolder_RecordsOutputExitCodesAndAudit()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["deploy.md"] = Deploy });
        var run = await h.RunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "1.2.3" }, yes = true });
        Assert.Equal(RunStatus.Running, run.Status);

        var events = await h.EventsAsync(run.Id);
        Assert.Contains(events, e => e.Type == RunEventType.Output && e.Line == "wrote 1.2.3");
        Assert.Contains(events, e => e.Type == RunEventType.Output && e.Line == "verified"); // stderr is captured too
        var ended = await h.GetAsync(run.Id);
        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal(2, ended.Steps!.Count);
        Assert.All(ended.Steps, s => Assert.Equal((StepStatus.Succeeded, 0), (s.Status, s.ExitCode)));
        Assert.Equal("1.2.3\n", await File.ReadAllTextAsync(h.File("version.txt")));

        var log = await h.LogAsync(run.Id);
        Assert.Contains("step 1 (write): succeeded, exit 0", log, StringComparison.Ordinal);
        Assert.Contains("wrote 1.2.3", log, StringComparison.Ordinal);

        var audit = await h.Server.CliAsync("audit", "tail", "-n", "50");
        foreach (var action in new[] { "runbook.run.create", "runbook.run.start", "runbook.step", "runbook.run.end" })
        {
            Assert.Contains(action, audit.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Failure_StopsAtTheFailingStep_AndRunsTheRollback()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["failing.md"] = Failing });
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "failing", yes = true })).Id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(RollbackOutcome.Succeeded, run.Rollback);
        Assert.Contains("step 2 (boom) failed with exit code 3", run.Error, StringComparison.Ordinal);
        using (var client = h.Server.Admin())
        {
            // The wire keeps its lowercase names now that the server uses enums.
            Assert.Contains("\"rollback\":\"succeeded\"", await client.GetStringAsync($"/api/v1/runbook-runs/{run.Id}"), StringComparison.Ordinal);
        }

        Assert.Contains("# rollback succeeded", await h.LogAsync(run.Id), StringComparison.Ordinal);
        Assert.Equal([(false, 1, StepStatus.Succeeded), (false, 2, StepStatus.Failed), (true, 1, StepStatus.Succeeded)],
            run.Steps!.Select(s => (s.Rollback, s.Index, s.Status)));
        Assert.False(File.Exists(h.File("never.ran")));
        Assert.False(File.Exists(h.File("first.ran")));
        Assert.True(File.Exists(h.File("rolled.back")));
    }

    [Fact]
    public async Task SyntaxError_InAStep_IsInItsLog()
    {
        const string broken = "# Broken\n\n```bash\necho \"never closed\n```\n";
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["broken.md"] = broken });
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "broken", yes = true })).Id);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("unexpected EOF", await h.LogAsync(run.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_KillsTheWholeProcessTree()
    {
        const string slow = """
            # Slow

            ```bash {timeout=1s}
            bash -c 'sleep 300' &
            echo $! > child.pid
            sleep 300
            ```
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["slow.md"] = slow }, "  kill_grace: 1s");
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "slow", yes = true })).Id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.TimedOut, Assert.Single(run.Steps!).Status);
        Assert.Contains("timeout", run.Error, StringComparison.Ordinal);
        var child = int.Parse(await File.ReadAllTextAsync(h.File("child.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(StrayProcesses.IsAlive(child), $"the background child {child} of the timed-out step is still running");
    }

    [Fact]
    public async Task Output_IsCappedWithAMarker_AndSecretsAreRedacted()
    {
        const string noisy = """
            ---
            id: noisy
            params:
              - name: password
                secret: true
                pattern: "^.{1,64}$"
            ---
            # Noisy

            ```bash
            echo "login with <password> and tok_abc123"
            echo "PGPASSWORD=pg-s3cret psql -h db"
            for i in $(seq 1 200); do echo "line $i of noise noise noise noise noise noise noise noise noise noise"; done
            echo "the end"
            ```
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["noisy.md"] = noisy },
            "  output_limit: 2KiB\n  redact: ['tok_[a-z0-9]+']");
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "noisy", @params = new Dictionary<string, string> { ["password"] = "hunter2 !x" }, yes = true })).Id);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("••••••", run.Params["password"]);
        var step = Assert.Single(run.Steps!);
        Assert.True(step.Truncated);
        Assert.True(step.OutputBytes > 2048, $"{step.OutputBytes} bytes");
        var log = await h.LogAsync(run.Id);
        Assert.Contains("login with [redacted] and [redacted]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", log, StringComparison.Ordinal);
        Assert.DoesNotContain("tok_abc123", log, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD=[redacted] psql", log, StringComparison.Ordinal); // a built-in detector, no configuration needed
        Assert.Contains("bytes of output omitted", log, StringComparison.Ordinal);
        Assert.Contains("the end", log, StringComparison.Ordinal); // the tail is kept
    }

    [Fact]
    public async Task Cancel_StopsTheRunningStepAndItsChildren()
    {
        const string sleepy = """
            # Sleepy

            ```bash {name=wait timeout=10m}
            echo $$ > step.pid
            echo started
            sleep 300
            ```

            ```bash {name=after}
            touch after.ran
            ```
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["sleepy.md"] = sleepy });
        var run = await h.RunAsync(new { runbook = "sleepy", yes = true });
        await h.EventsAsync(run.Id, e => e.Type == RunEventType.Output && e.Line == "started");

        var cancel = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/cancel", new { reason = "wrong host" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var ended = await h.GetAsync(run.Id);
        Assert.Equal(RunStatus.Cancelled, ended.Status);
        Assert.Contains("wrong host", ended.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(ended.Steps!).Status);
        Assert.Null(ended.Rollback);
        Assert.False(File.Exists(h.File("after.ran")));
        Assert.False(StrayProcesses.IsAlive(int.Parse(await File.ReadAllTextAsync(h.File("step.pid")), System.Globalization.CultureInfo.InvariantCulture)));

        var again = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Freeze_RefusesMutatingRuns_UnlessAnOperatorOverridesWithAReason()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["failing.md"] = Failing, ["deploy.md"] = Deploy });
        Assert.Equal(0, (await h.Server.CliAsync("freeze", "--service", "web", "--reason", "release week")).ExitCode);

        var (status, _, body) = await h.StartRunAsync(new { runbook = "failing", yes = true });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("service web is frozen", body, StringComparison.Ordinal);
        Assert.Contains("release week", body, StringComparison.Ordinal);
        Assert.Contains("--override-freeze", body, StringComparison.Ordinal);
        Assert.False(File.Exists(h.File("first.ran")));

        // A runbook whose steps change something is stopped too: deploy's write step is marked mutating=true.
        var (deployStatus, _, _) = await h.StartRunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "1" }, yes = true });
        Assert.Equal(HttpStatusCode.Conflict, deployStatus);

        var (noReason, _, noReasonBody) = await h.StartRunAsync(new { runbook = "failing", yes = true, overrideFreeze = true });
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.Contains("reason", noReasonBody, StringComparison.Ordinal);

        var responder = await h.Server.CreateTokenAsync("rita", "responder");
        var (forbidden, _, _) = await h.StartRunAsync(new { runbook = "failing", yes = true, overrideFreeze = true, reason = "hotfix" }, responder);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);

        var run = await h.EndAsync((await h.RunAsync(new { runbook = "failing", yes = true, overrideFreeze = true, reason = "hotfix for INC-7" })).Id);
        Assert.Equal("hotfix for INC-7", run.FreezeOverride);
        Assert.Equal(RunStatus.Failed, run.Status); // it ran (and failed at step 2 as written)
        var audit = await h.Server.CliAsync("audit", "tail", "-n", "50");
        Assert.Contains("hotfix for INC-7", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Freeze_StartedMidRun_RefusesTheNextMutatingStep()
    {
        const string twoPhase = """
            ---
            service: web
            ---
            # Two phase

            ```bash {name=read mutating=false}
            echo waiting
            while [ ! -f go ]; do sleep 0.05; done
            ```

            ```bash {name=write mutating=true}
            touch written
            ```
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["two-phase.md"] = twoPhase });
        var run = await h.RunAsync(new { runbook = "two-phase", yes = true });
        await h.EventsAsync(run.Id, e => e.Type == RunEventType.Output && e.Line == "waiting");
        Assert.Equal(0, (await h.Server.CliAsync("freeze", "--reason", "incident in progress")).ExitCode);
        await File.WriteAllTextAsync(h.File("go"), "");

        var ended = await h.EndAsync(run.Id);
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal(StepStatus.Refused, ended.Steps![^1].Status);
        Assert.Contains("everything is frozen", ended.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(h.File("written")));
    }

    [Fact]
    public async Task Approval_RequiresADifferentPerson()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["deploy.md"] = Deploy },
            "  require_approval_in: [production]", environment: "production");
        var alice = await h.Server.CreateTokenAsync("alice", "operator");
        var bob = await h.Server.CreateTokenAsync("bob", "operator");

        var run = await h.RunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "2.0" }, yes = true }, alice);
        Assert.Equal(RunStatus.PendingApproval, run.Status);
        Assert.NotNull(run.ApprovalExpiresAt);
        Assert.False(File.Exists(h.File("version.txt")));

        var self = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/approve", null, alice);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("different person", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var approved = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/approve", new { reason = "looks right" }, bob);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var ended = await h.EndAsync(run.Id);
        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal("bob", ended.ApprovedBy);
        Assert.Equal("2.0\n", await File.ReadAllTextAsync(h.File("version.txt")));

        var twice = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/approve", null, bob);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task Restart_MarksRunsInFlightInterrupted()
    {
        const string sleepy = """
            # Sleepy

            ```bash {timeout=10m}
            echo started
            sleep 300
            ```
            """;
        var runbooks = new Dictionary<string, string> { ["sleepy.md"] = sleepy };
        var h = await RunbookHarness.StartAsync(runbooks);
        var dir = h.Server.Dir;
        var run = await h.RunAsync(new { runbook = "sleepy", yes = true });
        await h.EventsAsync(run.Id, e => e.Type == RunEventType.Output && e.Line == "started");
        await h.Server.App.StopAsync(); // a graceful stop ends the step and records the run as interrupted
        await h.Server.App.DisposeAsync();

        await using var restarted = await Support.TestServer.StartAsync(dir: dir);
        using var client = restarted.Admin();
        var after = await client.GetFromJsonAsync<RunView>($"/api/v1/runbook-runs/{run.Id}", VigilJson.Options);
        Assert.Equal(RunStatus.Interrupted, after!.Status);
        Assert.Contains("server stopped", after.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crash_RunsLeftRunningOrWaitingInTheStore_AreInterruptedAtStart()
    {
        var dir = new Support.TempDirectory();
        Directory.CreateDirectory(dir.File("data"));
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Support.TestServer.MinimalConfig);
        long running, waiting;
        await using (var store = new Vigil.Storage.Sqlite.SqliteVigilStore(dir.File("data/vigil.db"), TimeProvider.System))
        {
            // What a kill -9 leaves behind: rows that say running and waiting, with nobody executing them.
            await store.MigrateAsync(CancellationToken.None);
            var request = new RunRequest("deploy", "runbooks/deploy.md", "release", "web", "dev", new Dictionary<string, string>(), "api", true, [], false, null, null, null);
            running = (await store.RecordAsync((s, c) => s.Runbooks.InsertRunAsync(request, RunStatus.Running, "alice", s.Now, null, null, c), CancellationToken.None)).Id;
            waiting = (await store.RecordAsync((s, c) => s.Runbooks.InsertRunAsync(request, RunStatus.Waiting, "bob", s.Now, null, null, c), CancellationToken.None)).Id;
        }

        await using var server = await Support.TestServer.StartAsync(dir: dir);
        using var client = server.Admin();
        foreach (var id in new[] { running, waiting })
        {
            var run = await client.GetFromJsonAsync<RunView>($"/api/v1/runbook-runs/{id}", VigilJson.Options);
            Assert.Equal(RunStatus.Interrupted, run!.Status);
            Assert.NotNull(run.EndedAt);
        }

        var audit = await server.CliAsync("audit", "tail", "-n", "20");
        Assert.Contains("runbook.run.end", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirmation_WaitsForAnAnswer_AndNoCancels()
    {
        const string guarded = """
            # Guarded

            ```bash {name=safe}
            touch one
            ```

            ```bash {name=danger confirm=true}
            touch two
            ```
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["guarded.md"] = guarded });

        // --yes still stops before a confirm=true step.
        var run = await h.RunAsync(new { runbook = "guarded", yes = true });
        var confirm = (await h.EventsAsync(run.Id, e => e.Type == RunEventType.Confirm))[^1];
        Assert.Equal(2, confirm.Index);
        Assert.Equal(RunStatus.Waiting, (await h.GetAsync(run.Id)).Status);
        Assert.True(File.Exists(h.File("one")));
        var wrongStep = await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/confirm", new { answer = "yes", step = 1 });
        Assert.Equal(HttpStatusCode.Conflict, wrongStep.StatusCode); // an answer meant for another step confirms nothing
        Assert.False(File.Exists(h.File("two")));
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync($"/api/v1/runbook-runs/{run.Id}/confirm", new { answer = "no" })).StatusCode);
        var declined = await h.EndAsync(run.Id);
        Assert.Equal(RunStatus.Cancelled, declined.Status);
        Assert.Contains("declined", declined.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(h.File("two")));

        // Named in advance, it runs unattended.
        var preConfirmed = await h.EndAsync((await h.RunAsync(new { runbook = "guarded", yes = true, confirm = new[] { "danger" } })).Id);
        Assert.Equal(RunStatus.Succeeded, preConfirmed.Status);
        Assert.True(File.Exists(h.File("two")));
    }

    [Fact]
    public async Task Incident_LinkedRun_GoesOnTheTimeline_AndIntoThePir()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["deploy.md"] = Deploy });
        using var admin = h.Server.Admin();
        var created = await admin.PostAsJsonAsync("/api/v1/incidents", new { title = "web slow", severity = "P2", service = "web" });
        var incident = (await created.Content.ReadFromJsonAsync<IncidentDetailView>(VigilJson.Options))!.Incident.Id;

        var run = await h.EndAsync((await h.RunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "3" }, yes = true, incident })).Id);
        Assert.Equal(RunStatus.Succeeded, run.Status);

        var detail = (await admin.GetFromJsonAsync<IncidentDetailView>($"/api/v1/incidents/{incident}", VigilJson.Options))!;
        var entries = detail.Timeline.Where(t => t.Kind == "runbook").Select(t => t.Text).ToList();
        Assert.Contains(entries, t => t.Contains("requested by", StringComparison.Ordinal));
        Assert.Contains(entries, t => t.Contains("step 1 (write) succeeded", StringComparison.Ordinal));
        Assert.Contains(entries, t => t.Contains("succeeded", StringComparison.Ordinal) && t.StartsWith($"Run #{run.Id} of deploy", StringComparison.Ordinal));
        Assert.Equal(run.Id, Assert.Single(detail.Runs!).Id);
        Assert.Equal("deploy", Assert.Single(detail.Runbooks!).Id); // suggested: the service's runbooks

        var pir = await admin.GetStringAsync($"/api/v1/incidents/{incident}/pir");
        Assert.Contains($"run #{run.Id} deploy › release: succeeded", pir, StringComparison.Ordinal);

        var (missing, _, _) = await h.StartRunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "3" }, yes = true, incident = 999 });
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task BadRequests_AreClear400sAndNothingRuns()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["deploy.md"] = Deploy });
        var (unknown, _, unknownBody) = await h.StartRunAsync(new { runbook = "nope" });
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("deploy", unknownBody, StringComparison.Ordinal); // lists the known ids

        var (missing, _, missingBody) = await h.StartRunAsync(new { runbook = "deploy", yes = true });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("version", missingBody, StringComparison.Ordinal);

        var (injection, _, injectionBody) = await h.StartRunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "1; touch pwned" }, yes = true });
        Assert.Equal(HttpStatusCode.BadRequest, injection);
        Assert.Contains("params.version", injectionBody, StringComparison.Ordinal);

        var (drill, _, drillBody) = await h.StartRunAsync(new { runbook = "deploy", drillRto = "soon" });
        Assert.Equal(HttpStatusCode.BadRequest, drill);
        Assert.Contains("10m", drillBody, StringComparison.Ordinal);
        Assert.False(File.Exists(h.File("pwned")));
        Assert.False(File.Exists(h.File("version.txt")));
    }

    [Fact]
    public async Task Injection_ValuesPassedToRealBashStayInert()
    {
        const string echo = """
            ---
            id: echo
            params:
              - name: value
                pattern: "^(?s:.{1,200})$"
            ---
            # Echo

            ```bash
            printf '%s' <value> > out.txt
            echo "got: <value>"
            echo 'single: <value>'
            ```
            """;
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["echo.md"] = echo });
        foreach (var value in new[] { "x; touch pwned", "$(touch pwned)", "`touch pwned`", "a\ntouch pwned", "' ; touch pwned ; '", "\" ; touch pwned ; \"", "--force" })
        {
            var run = await h.EndAsync((await h.RunAsync(new { runbook = "echo", @params = new Dictionary<string, string> { ["value"] = value }, yes = true })).Id);
            Assert.True(run.Status == RunStatus.Succeeded, $"{value}: {run.Error}");
            Assert.Equal(value, await File.ReadAllTextAsync(h.File("out.txt")));
            Assert.False(File.Exists(h.File("pwned")), $"the value {value} executed");
        }
    }

    [Fact]
    public async Task Drill_RecordsTimeToRestoreAgainstTheRto()
    {
        await using var h = await RunbookHarness.StartAsync(new Dictionary<string, string> { ["deploy.md"] = Deploy });
        var run = await h.EndAsync((await h.RunAsync(new { runbook = "deploy", @params = new Dictionary<string, string> { ["version"] = "9" }, yes = true, drillRto = "10m" })).Id);
        Assert.Equal(DrillResult.Pass, run.Drill);
        Assert.Equal(600, run.DrillRtoSeconds);

        var list = await h.Server.CliAsync("drill", "list", "--timed");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("PASS", list.Out, StringComparison.Ordinal);

        // Without --timed, the list is of fault-injection drills, and says where the timed ones are.
        var faults = await h.Server.CliAsync("drill", "list");
        Assert.Contains("vigil drill list --timed", faults.Out, StringComparison.Ordinal);
    }
}
