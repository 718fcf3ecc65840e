using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static VigilConfig LoadValid(string yaml, Func<string, string?>? env = null)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", env ?? TestEnvironment.Lookup);
        Assert.True(result.Success, "expected no errors, got:\n" + string.Join("\n", result.Errors));
        return result.Config!;
    }

    [Fact]
    public void LoadFromString_DesignSketchAsWritten_ReportsOnlyItsDanglingReferences()
    {
        var result = ConfigLoader.LoadFromString(ConfigFixtures.DesignSketch, "vigil.yaml", TestEnvironment.Lookup);

        Assert.Equal(
            ["services[0].depends_on[0]", "schedules[0].layers[0].members[1]", "schedules[0].layers[0].members[2]"],
            result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void LoadFromString_DesignSketch_LoadsWithoutErrors()
    {
        var result = ConfigLoader.LoadFromString(ConfigFixtures.DesignSketchComplete, "vigil.yaml", TestEnvironment.Lookup);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        Assert.All(result.Warnings, w => Assert.Matches("is accepted but not active in this version|^`slo` is deprecated", w.Message));
        Assert.Matches("^sha256:[0-9a-f]{64}$", result.Config!.Digest);
    }

    [Fact]
    public void LoadFromString_DesignSketch_VigilSectionLands()
    {
        var vigil = LoadValid(ConfigFixtures.DesignSketchComplete).Vigil;

        Assert.Equal("grahmos-prod", vigil.Name);
        Assert.Equal("production", vigil.Environment);
        Assert.Equal("sqlite:data/vigil.db", vigil.Store);
        Assert.Equal("http://127.0.0.1:8080", vigil.Listen);
        Assert.Equal("https://ops.example.com", vigil.PublicUrl);
        Assert.Equal(1024 * 1024, vigil.MaxRequestBodyBytes);
    }

    [Fact]
    public void LoadFromString_DesignSketch_SeveritiesLand()
    {
        var config = LoadValid(ConfigFixtures.DesignSketchComplete);

        Assert.Equal(["P0", "P1", "P2", "P3"], config.Severities.Select(s => s.Id));
        Assert.Equal(TimeSpan.FromMinutes(15), config.Severities[0].AckWithin);
        Assert.Equal(TimeSpan.FromHours(24), config.Severities[3].AckWithin);
        Assert.Equal([true, true, false, false], config.Severities.Select(s => s.Page));
        Assert.Equal("checklists/sev-critical.md", config.Severities[0].Checklist);
        Assert.Equal("High", config.Severities[1].Name);
    }

    [Fact]
    public void LoadFromString_DesignSketch_ServiceAndHttpCheckLand()
    {
        var api = LoadValid(ConfigFixtures.DesignSketchComplete).FindService("edge-api")!;

        Assert.Equal("Edge API", api.Name);
        Assert.Equal("platform", api.Owner);
        Assert.Equal(["redis"], api.DependsOn);
        Assert.True(api.Public);
        Assert.Equal(["runbooks/service-restart.md"], api.Runbooks);
        Assert.Equal(99.5, api.Slo!.Availability!.Value.Value);
        Assert.Equal(TimeSpan.FromMilliseconds(500), api.Slo.LatencyP95);
        Assert.Equal(TimeSpan.FromDays(30), api.Slo.Window);

        var health = api.Checks[0];
        Assert.Equal(CheckKind.Http, health.Kind);
        Assert.Equal("https://localhost/api/health", health.Http!.Url);
        Assert.Equal([200], health.Http.ExpectStatus);
        Assert.Equal("ok", health.Http.BodyContains);
        Assert.Equal(TimeSpan.FromMilliseconds(500), health.Http.MaxLatency);
        Assert.False(health.Http.TlsVerify);
        Assert.Equal("GET", health.Http.Method);
        Assert.Equal(TimeSpan.FromSeconds(10), health.Every);
        Assert.Equal(TimeSpan.FromSeconds(5), health.Timeout);
        Assert.Equal(3, health.FailAfter);
        Assert.Equal("P1", health.Severity);
    }

    [Fact]
    public void LoadFromString_DesignSketch_OtherCheckTypesLand()
    {
        var checks = LoadValid(ConfigFixtures.DesignSketchComplete).FindService("edge-api")!.Checks;

        Assert.Equal([CheckKind.Http, CheckKind.Tls, CheckKind.Command, CheckKind.Prometheus, CheckKind.Heartbeat], checks.Select(c => c.Kind));
        var cert = checks[1];
        Assert.Equal(("localhost", 443, 30, 7), (cert.Tls!.Host, cert.Tls.Port, cert.Tls.WarnDays, cert.Tls.CriticalDays));
        Assert.Equal(TimeSpan.FromHours(1), cert.Every);
        var disk = checks[2];
        Assert.Equal("df --output=pcent / | tail -1 | tr -dc 0-9", disk.Command!.Run);
        Assert.Equal((85d, 95d), (disk.WarnAbove!.Value, disk.CriticalAbove!.Value));
        var p95 = checks[3];
        Assert.Equal("http://localhost:9090", p95.Prometheus!.Url);
        Assert.StartsWith("histogram_quantile(0.95", p95.Prometheus.Query, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), p95.For);
        Assert.Equal(NoDataState.Unknown, p95.Prometheus.NoData);
        var heartbeat = checks[4];
        Assert.Equal("0 2 * * *", heartbeat.Heartbeat!.Cron);
        Assert.Equal(TimeSpan.FromHours(1), heartbeat.Heartbeat.Grace);
    }

    [Fact]
    public void LoadFromString_DesignSketch_PeopleAndSchedulesLand()
    {
        var config = LoadValid(ConfigFixtures.DesignSketchComplete);

        var alice = config.FindPerson("alice")!;
        Assert.Equal(("Alice", "alice@example.com", "@alice", "Europe/Berlin"), (alice.Name, alice.Email, alice.Slack, alice.Timezone));
        Assert.Equal(Availability.BusinessHours, config.FindPerson("lead")!.Availability);

        var primary = config.FindSchedule("primary")!;
        Assert.Equal("UTC", primary.Timezone);
        var layer = Assert.Single(primary.Layers);
        Assert.Equal(RotationKind.Weekly, layer.Rotation);
        Assert.Equal(new HandoffTime(DayOfWeek.Monday, new TimeOnly(9, 0)), layer.Handoff);
        Assert.Equal(["alice", "bob", "carol"], layer.Members);
        Assert.Empty(primary.Overrides);
    }

    [Fact]
    public void LoadFromString_DesignSketch_EscalationAndNotifiersLand()
    {
        var config = LoadValid(ConfigFixtures.DesignSketchComplete);

        var policy = config.FindEscalationPolicy("default")!;
        Assert.Equal(2, policy.Repeat);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)], policy.Steps.Select(s => s.After));
        Assert.Equal(new NotifyTarget(NotifyTargetKind.Schedule, "primary"), policy.Steps[0].Notify[0]);
        Assert.Equal(new NotifyTarget(NotifyTargetKind.Person, "lead"), policy.Steps[1].Notify[0]);
        Assert.Equal(new NotifyTarget(NotifyTargetKind.Notifier, "ops-email"), policy.Steps[2].Notify[0]);

        Assert.Equal(TestEnvironment.SlackWebhookUrl, config.FindNotifier("slack")!.Slack!.WebhookUrl);
        var email = config.FindNotifier("ops-email")!.Email!;
        Assert.Equal(("smtp://localhost:25", "vigil@example.com"), (email.Smtp, email.From));
        Assert.Equal(["ops@example.com"], email.To);
        Assert.Equal(TestEnvironment.HookSecret, config.FindNotifier("hook")!.Webhook!.Secret);
    }

    [Fact]
    public void LoadFromString_DesignSketch_WindowsBackupsRunbooksIntegrationsLand()
    {
        var config = LoadValid(ConfigFixtures.DesignSketchComplete);

        var window = Assert.Single(config.Maintenance);
        Assert.True(window.IsRecurring);
        Assert.Equal(("0 2 * * SUN", TimeSpan.FromHours(2)), (window.Cron, window.Duration!.Value));
        Assert.Equal(["*"], window.Services);

        Assert.Equal(BackupSource.Self, config.Backups[0].Source);
        Assert.Equal((24, 7), (config.Backups[0].Keep.Last!.Value, config.Backups[0].Keep.Daily!.Value));
        Assert.Equal("VIGIL_BACKUP_KEY", config.Backups[0].Encryption!.KeyEnv);
        Assert.Equal(["redis-cli", "--rdb", "-"], config.Backups[1].Command);
        Assert.Equal("backups/redis", config.Backups[1].Destination!.Path);
        Assert.Equal(["redis-check-rdb", "redis.out"], config.Backups[1].RestoreTest!.Command);
        Assert.Equal(TimeSpan.FromHours(24), config.Backups[1].Keep.Within);
        Assert.Null(config.Backups[1].Keep.Last);

        Assert.Equal(["runbooks/"], config.Runbooks.Paths);
        Assert.Equal(TimeSpan.FromDays(90), config.Runbooks.ReviewEvery);
        Assert.Equal(["production"], config.Runbooks.RequireApprovalIn);

        var route = config.Integrations.Alertmanager!.Route;
        Assert.Equal("severity", route.SeverityLabel);
        Assert.Equal("P1", route.Map["critical"]);
        Assert.Equal("P3", route.Map["warning"]);
    }

    [Fact]
    public void LoadFromString_NoSeveritiesSection_AppliesDefaultScheme()
    {
        var config = LoadValid(ConfigFixtures.Minimal);

        Assert.Equal(["P0", "P1", "P2", "P3"], config.Severities.Select(s => s.Id));
        Assert.Equal(["Critical", "High", "Medium", "Low"], config.Severities.Select(s => s.Name));
        Assert.Equal([15d, 60, 240, 1440], config.Severities.Select(s => s.AckWithin!.Value.TotalMinutes));
        Assert.Equal([true, true, false, false], config.Severities.Select(s => s.Page));
    }

    [Fact]
    public void LoadFromString_Minimal_AppliesDefaults()
    {
        var config = LoadValid(ConfigFixtures.Minimal);

        Assert.Equal("production", config.Vigil.Environment);
        Assert.Equal("http://127.0.0.1:8080", config.Vigil.Listen);
        Assert.Equal(1024 * 1024, config.Vigil.MaxRequestBodyBytes);
        Assert.Empty(config.Services);
        Assert.Equal(["runbooks/"], config.Runbooks.Paths);
        Assert.True(config.Telemetry.Metrics.Enabled);
        Assert.Null(config.Telemetry.Otlp);
        Assert.Equal(Path.GetFullPath("."), config.BaseDirectory);
    }

    [Fact]
    public void LoadFromString_CheckDefaults_AreApplied()
    {
        var config = LoadValid("""
            vigil: { name: test }
            services:
              - id: api
                checks:
                  - id: port
                    tcp: { host: localhost, port: 5432 }
            """);

        var check = config.Services[0].Checks[0];
        Assert.Equal(TimeSpan.FromMinutes(1), check.Every);
        Assert.Equal(TimeSpan.FromSeconds(10), check.Timeout);
        Assert.Equal(TimeSpan.Zero, check.Jitter);
        Assert.Equal((1, 1), (check.FailAfter, check.PassAfter));
        Assert.False(check.Paused);
        Assert.Equal("api", config.Services[0].Name);
        Assert.Equal("P3", config.ResolveSeverity(config.Services[0], check).Id);
    }

    [Fact]
    public void LoadFromString_FullCheckCatalog_LoadsEveryCheckKey()
    {
        var config = LoadValid("""
            vigil: { name: test, environment: staging, max_request_body_bytes: 2MiB }
            people: [{ id: alice, email: alice@example.com }]
            schedules:
              - id: support
                timezone: Europe/Berlin
                layers:
                  - name: day
                    rotation: daily
                    handoff: "08:30"
                    start: 2025-01-06
                    members: [alice]
                    restrictions:
                      - { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00" }
                  - { rotation: custom, shift_length: 12h, handoff: "20:00", members: [alice] }
                overrides:
                  - { person: alice, start: "2025-03-01T09:00:00+01:00", end: "2025-03-02T09:00:00+01:00", reason: swap }
            services:
              - id: api
                severity: P2
                labels: { team: platform, tier: "1" }
                checks:
                  - id: http-full
                    http:
                      url: https://api.example.com/health
                      method: POST
                      headers: { Authorization: "Bearer ${API_TOKEN:-none}" }
                      body: '{"ping": true}'
                      expect_status: [200, 204]
                      body_contains: ok
                      body_not_contains: error
                      body_regex: '"status":\s*"(ok|degraded)"'
                      json:
                        - { path: $.status, equals: ok }
                        - { path: "$.checks[0].latency_ms", below: 250 }
                      max_latency: 750ms
                      follow_redirects: false
                      tls_verify: true
                      client_cert: { cert_file: certs/client.pem, key_file: certs/client.key }
                      reuse_connections: true
                    every: 30s
                    timeout: 10s
                    jitter: 5s
                    fail_after: 2
                    pass_after: 2
                    runbook: runbooks/api.md
                    labels: { probe: external }
                    paused: true
                  - id: smtp
                    tcp: { host: mail.example.com, port: 25, send: "EHLO vigil\r\n", expect: "250" }
                  - id: dns
                    dns: { name: example.com, type: AAAA, server: "1.1.1.1:53", expected: ["2606:2800:220:1::"] }
                  - id: queue-depth
                    command: { argv: [/usr/local/bin/queue-depth, --queue, jobs], env: { QUEUE_HOST: localhost } }
                    warn_above: 100
                    critical_above: 1000
                    timeout: 20s
                  - id: free-memory
                    command: { run: "free -m | awk '/Mem/ {print $7}'" }
                    warn_below: 512
                    critical_below: 128
                  - id: hourly-job
                    heartbeat: { period: 1h, grace: 10m }
                  - id: errors
                    prometheus: { url: "http://prom:9090", query: "sum(rate(errors_total[5m]))", no_data: ok }
            telemetry:
              otlp: { endpoint: "http://localhost:4318", protocol: http-protobuf, sample_ratio: 10% }
              metrics: { path: /internal/metrics, require_token: true }
            """);

        Assert.Equal(2 * 1024 * 1024, config.Vigil.MaxRequestBodyBytes);
        var checks = config.Services[0].Checks;
        var http = checks[0].Http!;
        Assert.Equal("POST", http.Method);
        Assert.Equal("Bearer none", http.Headers["Authorization"]);
        Assert.Equal([200, 204], http.ExpectStatus);
        Assert.Equal("$.status", http.Json[0].Path);
        Assert.Equal("ok", http.Json[0].ExpectedValue);
        Assert.Equal(250, http.Json[1].Below);
        Assert.Equal("certs/client.pem", http.ClientCert!.CertFile);
        Assert.False(http.FollowRedirects);
        Assert.True(http.ReuseConnections);
        Assert.True(checks[0].Paused);
        Assert.Equal(TimeSpan.FromSeconds(5), checks[0].Jitter);
        Assert.Equal("EHLO vigil\r\n", checks[1].Tcp!.Send);
        Assert.Equal(DnsRecordType.Aaaa, checks[2].Dns!.Type);
        Assert.Equal(["/usr/local/bin/queue-depth", "--queue", "jobs"], checks[3].Command!.Argv);
        Assert.Equal("free -m | awk '/Mem/ {print $7}'", checks[4].Command!.Run);
        Assert.Equal(TimeSpan.FromHours(1), checks[5].Heartbeat!.Period);
        Assert.Equal(NoDataState.Ok, checks[6].Prometheus!.NoData);
        Assert.Equal("P2", config.ResolveSeverity(config.Services[0], checks[0]).Id);

        var layers = config.Schedules[0].Layers;
        Assert.Equal(new HandoffTime(null, new TimeOnly(8, 30)), layers[0].Handoff);
        Assert.Equal(new DateOnly(2025, 1, 6), layers[0].Start);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], layers[0].Restrictions[0].Days);
        Assert.Equal(new TimeOnly(18, 0), layers[0].Restrictions[0].To);
        Assert.Equal(TimeSpan.FromHours(12), layers[1].ShiftLength);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero), config.Schedules[0].Overrides[0].Start.ToUniversalTime());

        Assert.Equal(OtlpProtocol.HttpProtobuf, config.Telemetry.Otlp!.Protocol);
        Assert.Equal(0.1, config.Telemetry.Otlp.SampleRatio.Fraction, 6);
        Assert.Equal("/internal/metrics", config.Telemetry.Metrics.Path);
    }

    [Fact]
    public void LoadFromString_EnvExpansion_UsesInjectedEnvironmentDefaultsAndEscapes()
    {
        var env = TestEnvironment.With(("VIGIL_NAME", "from-env"), ("EMPTY", string.Empty));
        var config = LoadValid("""
            vigil:
              name: ${VIGIL_NAME}
              listen: ${LISTEN:-http://0.0.0.0:9090}
              data_dir: ${EMPTY:-/var/lib/vigil}
            services:
              - id: api
                description: "costs $$5, not ${VIGIL_NAME}; $HOME stays; $${LITERAL} too"
            """, env);

        Assert.Equal("from-env", config.Vigil.Name);
        Assert.Equal("http://0.0.0.0:9090", config.Vigil.Listen);
        Assert.Equal("/var/lib/vigil", config.Vigil.DataDir);
        Assert.Equal("costs $5, not from-env; $HOME stays; ${LITERAL} too", config.Services[0].Description);
    }

    [Fact]
    public void LoadFromString_EnvExpansionIntoTypedValue_IsParsedAfterExpansion()
    {
        var config = LoadValid("""
            vigil: { name: test }
            services:
              - id: api
                checks:
                  - { id: port, tcp: { host: localhost, port: "${DB_PORT:-5432}" }, every: "${INTERVAL}" }
            """, TestEnvironment.With(("INTERVAL", "45s")));

        Assert.Equal(5432, config.Services[0].Checks[0].Tcp!.Port);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Services[0].Checks[0].Every);
    }

    [Fact]
    public void LoadFromString_OptionalKeyExpandingToEmpty_IsUnset()
    {
        var config = LoadValid("""
            vigil: { name: test, public_url: "${PUBLIC_URL:-}" }
            notifiers:
              - { id: mail, email: { smtp: "smtp://localhost", from: vigil@example.com, password: "${SMTP_PASSWORD:-}" } }
            """);

        Assert.Null(config.Vigil.PublicUrl);
        Assert.Null(config.Notifiers[0].Email!.Password);
    }

    [Fact]
    public void LoadFromString_DefaultEnvironment_IsTheProcessEnvironment()
    {
        var name = "VIGIL_CONFIG_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "process-env");
        try
        {
            var result = ConfigLoader.LoadFromString($"vigil: {{ name: \"${{{name}}}\" }}\n");
            Assert.True(result.Success, string.Join("\n", result.Errors));
            Assert.Equal("process-env", result.Config!.Vigil.Name);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void LoadFromString_MergeKeysAndExtensionSections_AreSupported()
    {
        var config = LoadValid("""
            vigil: { name: test }
            x-check-defaults: &defaults
              every: 15s
              timeout: 3s
              fail_after: 2
            services:
              - id: api
                checks:
                  - id: a
                    <<: *defaults
                    tcp: { host: localhost, port: 80 }
                  - id: b
                    <<: *defaults
                    timeout: 5s
                    tcp: { host: localhost, port: 81 }
            """);

        var checks = config.Services[0].Checks;
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(3), 2), (checks[0].Every, checks[0].Timeout, checks[0].FailAfter));
        Assert.Equal(TimeSpan.FromSeconds(5), checks[1].Timeout);
    }

    [Fact]
    public void LoadFromString_SingleValueForList_IsAOneItemList()
    {
        var config = LoadValid("""
            vigil: { name: test }
            notifiers:
              - { id: mail, email: { smtp: "smtp://localhost", from: vigil@example.com, to: ops@example.com } }
            """);

        Assert.Equal(["ops@example.com"], config.Notifiers[0].Email!.To);
    }

    [Fact]
    public void LoadFromString_LiteralSecret_LoadsWithWarning()
    {
        var result = ConfigLoader.LoadFromString("""
            vigil: { name: test }
            notifiers:
              - { id: hook, webhook: { url: "http://localhost/hook", secret: hunter2 } }
            """, "vigil.yaml", TestEnvironment.Lookup);

        Assert.True(result.Success);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("notifiers[0].webhook.secret", warning.Path);
        Assert.Contains("environment variable", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromString_EmptyDocument_ReportsMissingVigilSection()
    {
        var result = ConfigLoader.LoadFromString("# nothing here\n", "conf/vigil.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("conf/vigil.yaml:1:1: vigil: missing required section `vigil`; add it at the top level", error.ToString());
    }

    [Fact]
    public void LoadFromString_NoIncludes_RecordsNoSourceFiles()
    {
        var result = ConfigLoader.LoadFromString(ConfigFixtures.Minimal);

        Assert.Empty(result.SourceFiles);
    }

    [Fact]
    public void Load_File_RecordsSourceFileAndBaseDirectory()
    {
        using var dir = new TempDirectory();
        var root = dir.Write("conf/vigil.yaml", ConfigFixtures.Minimal);

        var result = ConfigLoader.Load(root, TestEnvironment.Lookup);

        Assert.True(result.Success);
        Assert.Equal([root], result.SourceFiles);
        Assert.Equal(Path.Combine(dir.Path, "conf"), result.Config!.BaseDirectory);
        Assert.Equal(Path.Combine(dir.Path, "conf", "runbooks", "a.md"), result.Config.ResolvePath("runbooks/a.md"));
    }

    [Fact]
    public void ResolveEscalationPolicy_ServiceThenSeverityThenDefault_PicksInOrder()
    {
        var config = LoadValid("""
            vigil: { name: test }
            notifiers: [{ id: ops, webhook: { url: "http://localhost/hook" } }]
            escalation_policies:
              - { id: default, steps: [{ notify: [notifier:ops] }] }
              - { id: critical, steps: [{ notify: [notifier:ops] }] }
              - { id: team, steps: [{ notify: [notifier:ops] }] }
            severities:
              - { id: SEV1, page: true, escalation_policy: critical }
              - { id: SEV2 }
            services:
              - { id: api, escalation_policy: team }
              - { id: web }
            """);

        var sev1 = config.FindSeverity("SEV1")!;
        var sev2 = config.FindSeverity("SEV2")!;
        Assert.Equal("team", config.ResolveEscalationPolicy(config.FindService("api"), sev1)!.Id);
        Assert.Equal("critical", config.ResolveEscalationPolicy(config.FindService("web"), sev1)!.Id);
        Assert.Equal("default", config.ResolveEscalationPolicy(config.FindService("web"), sev2)!.Id);
        Assert.Equal("SEV2", config.Severities[^1].Id);
    }
}
