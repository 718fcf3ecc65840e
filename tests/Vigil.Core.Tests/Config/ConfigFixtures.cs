namespace Vigil.Core.Tests.Config;

/// <summary>Config texts shared by the config tests.</summary>
internal static class ConfigFixtures
{
    /// <summary>The config sketch from the design notes, verbatim.</summary>
    public const string DesignSketch = """
        vigil:
          name: grahmos-prod
          environment: production            # dev | staging | production
          store: sqlite:data/vigil.db        # or postgres://user@host/db
          listen: http://127.0.0.1:8080
          public_url: https://ops.example.com

        severities:                          # most severe first; this is the default scheme
          - { id: P0, name: Critical, ack_within: 15m, page: true,  checklist: checklists/sev-critical.md }
          - { id: P1, name: High,     ack_within: 1h,  page: true }
          - { id: P2, name: Medium,   ack_within: 4h,  page: false }
          - { id: P3, name: Low,      ack_within: 24h, page: false }

        services:
          - id: edge-api
            name: Edge API
            owner: platform
            depends_on: [redis]
            public: true
            runbooks: [runbooks/service-restart.md]
            slo: { availability: 99.5%, latency_p95: 500ms, window: 30d }
            checks:
              - id: health
                http: { url: "https://localhost/api/health", expect_status: [200], body_contains: ok,
                        max_latency: 500ms, tls_verify: false }
                every: 10s
                timeout: 5s
                fail_after: 3                # consecutive failures before critical
                severity: P1
              - id: cert
                tls: { host: localhost, port: 443, warn_days: 30, critical_days: 7 }
                every: 1h
                severity: P2
              - id: disk
                command: { run: "df --output=pcent / | tail -1 | tr -dc 0-9" }
                warn_above: 85
                critical_above: 95
                every: 1m
              - id: p95
                prometheus: { url: "http://localhost:9090", query: 'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))' }
                warn_above: 0.1
                critical_above: 0.5
                for: 5m
              - id: nightly-backup
                heartbeat: { cron: "0 2 * * *", grace: 1h }   # POST /api/v1/heartbeats/{token}

        people:
          - { id: alice, name: Alice, email: alice@example.com, slack: "@alice", timezone: Europe/Berlin }
          - { id: lead, name: Team Lead, email: lead@example.com, availability: business-hours }

        schedules:
          - id: primary
            timezone: UTC
            layers:
              - { rotation: weekly, handoff: "Mon 09:00", members: [alice, bob, carol] }
            overrides: []                    # ad-hoc overrides are state, created via CLI/API

        escalation_policies:
          - id: default
            steps:
              - { after: 0m,  notify: [schedule:primary] }
              - { after: 15m, notify: [person:lead] }
              - { after: 30m, notify: [notifier:ops-email] }
            repeat: 2
          # a severity or a service can name its policy; P2/P3 default to a ticket (no page)

        notifiers:
          - { id: slack, slack: { webhook_url: "${SLACK_WEBHOOK_URL}" } }
          - { id: ops-email, email: { smtp: "smtp://localhost:25", from: vigil@example.com, to: [ops@example.com] } }
          - { id: hook, webhook: { url: "http://localhost:9000/hook", secret: "${HOOK_SECRET}" } }   # HMAC-signed

        maintenance:
          - { id: weekly-patching, cron: "0 2 * * SUN", duration: 2h, timezone: UTC, services: ["*"] }

        backups:
          - { id: vigil-state, source: self, cron: "0 * * * *", keep: { last: 24, daily: 7 }, encryption: { key_env: VIGIL_BACKUP_KEY } }
          - { id: redis, command: [redis-cli, --rdb, "-"], cron: "*/5 * * * *", keep: { within: 24h },
              restore_test: { cron: "0 4 * * *", command: [redis-check-rdb, redis.out] }, destination: { path: backups/redis } }

        runbooks:
          paths: [runbooks/]
          review_every: 90d
          require_approval_in: [production]

        integrations:
          alertmanager: { route: { severity_label: severity, map: { critical: P1, warning: P3 } } }
        """;

    /// <summary>
    /// The design sketch made self-consistent: it names a `redis` service and people `bob` and
    /// `carol` that it never defines, which validation rightly rejects. This adds exactly those three.
    /// </summary>
    public static string DesignSketchComplete => DesignSketch
        .Replace("services:\n", "services:\n  - id: redis\n    name: Redis\n", StringComparison.Ordinal)
        .Replace("people:\n", "people:\n  - { id: bob, name: Bob, email: bob@example.com }\n  - { id: carol, name: Carol, email: carol@example.com }\n", StringComparison.Ordinal);

    /// <summary>A small valid config.</summary>
    public const string Minimal = """
        vigil:
          name: test
        """;
}
