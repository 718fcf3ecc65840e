namespace Vigil.Core.Tests.Config;

internal static class BrokenConfigCases
{
    public static readonly IReadOnlyDictionary<string, BrokenConfig> All = new Dictionary<string, BrokenConfig>
    {
        ["yaml-syntax-error"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                name: [unclosed
            """,
            "YAML syntax error", 6, string.Empty),

        ["tab-indentation"] = new(
            "vigil:\n  name: test\nservices:\n  - id: api\n\tname: API\n",
            "tab character in indentation", 5, string.Empty),

        ["duplicate-key"] = new(
            """
            vigil:
              name: test
              name: other
            """,
            "duplicate key `name`", 3, string.Empty),

        ["multiple-documents"] = new(
            """
            vigil:
              name: test
            ---
            services: []
            """,
            "one YAML document", 4, string.Empty),

        ["string-for-int"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    fail_after: three
            """,
            "invalid integer `three`", 8, "services[0].checks[0].fail_after"),

        ["map-for-list"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                depends_on: { db: true }
            """,
            "expected a list", 5, "services[0].depends_on"),

        ["scalar-for-mapping"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                slo: fast
            """,
            "expected a mapping", 5, "services[0].slo"),

        ["list-for-scalar"] = new(
            """
            vigil:
              name: [a, b]
            """,
            "expected a string, got a list", 2, "vigil.name"),

        ["bad-boolean"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                public: sometimes
            """,
            "invalid boolean `sometimes`: write true or false", 5, "services[0].public"),

        ["unknown-key-did-you-mean"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    evry: 10s
            """,
            "unknown key `evry`; did you mean `every`?", 8, "services[0].checks[0].evry"),

        ["unknown-nested-key-did-you-mean"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health", expect_staus: [200] }
            """,
            "unknown key `expect_staus`; did you mean `expect_status`?", 7, "services[0].checks[0].http.expect_staus"),

        ["camel-case-key"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                dependsOn: [db]
            """,
            "did you mean `depends_on`? (keys are snake_case)", 5, "services[0].dependsOn"),

        ["unknown-top-level-section"] = new(
            """
            vigil:
              name: test
            servces:
              - id: api
            """,
            "unknown section `servces`; did you mean `services`?", 3, "servces"),

        ["missing-vigil-section"] = new(
            """
            services:
              - id: api
            """,
            "missing required section `vigil`", 1, "vigil"),

        ["bad-duration"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    every: 10 minutes
            """,
            "invalid duration `10 minutes`", 8, "services[0].checks[0].every"),

        ["duration-unknown-unit"] = new(
            """
            vigil:
              name: test
            severities:
              - { id: P1, ack_within: 15min }
            """,
            "unknown unit `min`; write 15m", 4, "severities[0].ack_within"),

        ["duration-without-unit"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    timeout: 30
            """,
            "`30` has no unit", 8, "services[0].checks[0].timeout"),

        ["negative-duration"] = new(
            """
            vigil:
              name: test
            escalation_policies:
              - id: default
                steps:
                  - { after: -5m, notify: [notifier:ops] }
            notifiers:
              - { id: ops, webhook: { url: "http://localhost:9000/hook" } }
            """,
            "a duration must not be negative", 6, "escalation_policies[0].steps[0].after"),

        ["zero-interval"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    every: 0s
            """,
            "`every` must be longer than 0s", 8, "services[0].checks[0].every"),

        ["bad-percentage"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                slo: { availability: 99.5 }
            """,
            "invalid percentage `99.5`: write a percentage with a percent sign", 5, "services[0].slo.availability"),

        ["percentage-out-of-range"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                slo: { availability: 150% }
            """,
            "between 0% and 100%", 5, "services[0].slo.availability"),

        ["bad-byte-size"] = new(
            """
            vigil:
              name: test
              max_request_body_bytes: 10XB
            """,
            "unknown unit `XB`", 3, "vigil.max_request_body_bytes"),

        ["dangling-severity"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    severity: P9
            """,
            "unknown severity `P9`", 8, "services[0].checks[0].severity"),

        ["dangling-depends-on"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                depends_on: [databse]
              - id: database
            """,
            "unknown service `databse`; did you mean `database`?", 5, "services[0].depends_on[0]"),

        ["dependency-cycle"] = new(
            """
            vigil:
              name: test
            services:
              - { id: api, depends_on: [cache] }
              - { id: cache, depends_on: [db] }
              - { id: db, depends_on: [api] }
            """,
            "dependency cycle: api → cache → db → api", 6, "services[2].depends_on[0]"),

        ["self-dependency"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                depends_on: [api]
            """,
            "depends on itself", 5, "services[0].depends_on[0]"),

        ["dangling-escalation-target"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice }
            escalation_policies:
              - id: default
                steps:
                  - { after: 0m, notify: [person:alcie] }
            """,
            "unknown person `alcie`; did you mean `alice`?", 8, "escalation_policies[0].steps[0].notify[0]"),

        ["dangling-schedule-target"] = new(
            """
            vigil:
              name: test
            escalation_policies:
              - id: default
                steps:
                  - after: 0m
                    notify:
                      - schedule:primary
            """,
            "unknown schedule `primary`; there are no schedules defined", 8, "escalation_policies[0].steps[0].notify[0]"),

        ["bad-target-kind"] = new(
            """
            vigil:
              name: test
            escalation_policies:
              - id: default
                steps:
                  - { after: 0m, notify: [pager:alice] }
            """,
            "unknown target kind `pager`", 6, "escalation_policies[0].steps[0].notify[0]"),

        ["dangling-escalation-policy"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                escalation_policy: paging
            """,
            "unknown escalation policy `paging`", 5, "services[0].escalation_policy"),

        ["unknown-schedule-member"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice }
            schedules:
              - id: primary
                layers:
                  - { rotation: weekly, members: [alice, bob] }
            """,
            "unknown person `bob`", 8, "schedules[0].layers[0].members[1]"),

        ["duplicate-service-id"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
              - id: web
              - id: api
            """,
            "duplicate id `api`: `services[0]` at vigil.yaml:4 already uses it", 6, "services[2].id"),

        ["duplicate-check-id"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - { id: health, tcp: { host: localhost, port: 80 } }
                  - { id: health, tcp: { host: localhost, port: 81 } }
            """,
            "duplicate id `health`", 7, "services[0].checks[1].id"),

        ["zero-check-types"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    every: 10s
            """,
            "needs exactly one of `http`, `tcp`, `tls`, `dns`, `command`, `heartbeat` or `prometheus`; none is set", 6, "services[0].checks[0]"),

        ["two-check-types"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    tcp: { host: localhost, port: 443 }
            """,
            "both `http` and `tcp` are", 8, "services[0].checks[0].tcp"),

        ["command-run-and-argv"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: disk
                    command: { run: "df /", argv: [df, /] }
            """,
            "both `run` and `argv` are", 7, "services[0].checks[0].command.argv"),

        ["missing-env-var"] = new(
            """
            vigil:
              name: test
            notifiers:
              - id: slack
                slack: { webhook_url: "${MISSING_WEBHOOK}" }
            """,
            "environment variable `MISSING_WEBHOOK` is not set", 5, "notifiers[0].slack.webhook_url"),

        ["unclosed-env-reference"] = new(
            """
            vigil:
              name: ${NAME
            """,
            "`${` is not closed", 2, "vigil.name"),

        ["include-cycle"] = new(
            """
            vigil:
              name: test
            include: [a.yaml]
            """,
            "include cycle: a.yaml → b.yaml → a.yaml", 1, "include[0]", "b.yaml",
            new Dictionary<string, string>
            {
                ["a.yaml"] = "include: [b.yaml]\n",
                ["b.yaml"] = "include: [a.yaml]\n",
            }),

        ["missing-include"] = new(
            """
            vigil:
              name: test
            include:
              - services.yaml
              - peopel.yaml
            """,
            "included file `peopel.yaml` not found", 5, "include[1]", "vigil.yaml",
            new Dictionary<string, string> { ["services.yaml"] = "services: []\n" }),

        ["duplicate-mapping-section-across-includes"] = new(
            """
            vigil:
              name: test
            include: [other.yaml]
            """,
            "section `vigil` is already defined at vigil.yaml:1:1", 2, "vigil", "other.yaml",
            new Dictionary<string, string> { ["other.yaml"] = "# second definition\nvigil:\n  name: again\n" }),

        ["bad-cron"] = new(
            """
            vigil:
              name: test
            backups:
              - { id: nightly, source: self, cron: "61 2 * * *" }
            """,
            "invalid cron expression `61 2 * * *`", 4, "backups[0].cron"),

        ["cron-wrong-field-count"] = new(
            """
            vigil:
              name: test
            maintenance:
              - { id: patch, cron: "0 2 *", duration: 2h, services: ["*"] }
            """,
            "a cron expression has 5 fields", 4, "maintenance[0].cron"),

        ["bad-timezone"] = new(
            """
            vigil:
              name: test
            people:
              - id: alice
                timezone: Europe/Berln
            """,
            "unknown time zone `Europe/Berln`", 5, "people[0].timezone"),

        ["bad-url"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "localhost/health" }
            """,
            "invalid URL `localhost/health`", 7, "services[0].checks[0].http.url"),

        ["bad-environment-value"] = new(
            """
            vigil:
              name: test
              environment: prod
            """,
            "invalid value `prod`; use one of: dev, staging, production; did you mean `production`?", 3, "vigil.environment"),

        ["bad-enum-value"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice }
            schedules:
              - id: primary
                layers:
                  - { rotation: fortnightly, members: [alice] }
            """,
            "invalid value `fortnightly`: use one of: daily, weekly, custom", 8, "schedules[0].layers[0].rotation"),

        ["warn-above-critical"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: disk
                    command: { run: "df --output=pcent / | tail -1" }
                    warn_above: 95
                    critical_above: 85
            """,
            "`warn_above` (95) must be less than `critical_above` (85)", 8, "services[0].checks[0].warn_above"),

        ["warn-below-critical"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: free
                    command: { run: "free-percent" }
                    warn_below: 5
                    critical_below: 10
            """,
            "`warn_below` (5) must be greater than `critical_below` (10)", 8, "services[0].checks[0].warn_below"),

        ["thresholds-on-http-check"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    critical_above: 3
            """,
            "thresholds apply only to `command` and `prometheus` checks", 8, "services[0].checks[0].critical_above"),

        ["tls-warn-days-not-above-critical"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: cert
                    tls: { host: localhost, warn_days: 7, critical_days: 14 }
            """,
            "`warn_days` (7) must be greater than `critical_days` (14)", 7, "services[0].checks[0].tls.warn_days"),

        ["timeout-longer-than-interval"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health" }
                    every: 10s
                    timeout: 30s
            """,
            "`timeout` (30s) is longer than `every` (10s)", 9, "services[0].checks[0].timeout"),

        ["missing-required-id"] = new(
            """
            vigil:
              name: test
            services:
              - name: API
                public: true
            """,
            "missing required key `id`", 4, "services[0].id"),

        ["missing-required-nested-key"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http:
                      method: GET
            """,
            "missing required key `url`", 8, "services[0].checks[0].http.url"),

        ["empty-name"] = new(
            """
            vigil:
              name: ""
            """,
            "`name` must not be empty", 2, "vigil.name"),

        ["null-required-value"] = new(
            """
            vigil:
              name:
            """,
            "`name` needs a value", 2, "vigil.name"),

        ["invalid-id-characters"] = new(
            """
            vigil:
              name: test
            services:
              - id: "edge api!"
            """,
            "invalid id `edge api!`", 4, "services[0].id"),

        ["empty-list-item"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                depends_on:
                  -
            """,
            "empty list item", 6, "services[0].depends_on[0]"),

        ["empty-severities"] = new(
            """
            vigil:
              name: test
            severities: []
            """,
            "`severities` must have at least one entry", 3, "severities"),

        ["empty-escalation-steps"] = new(
            """
            vigil:
              name: test
            escalation_policies:
              - id: default
                steps: []
            """,
            "`steps` must have at least one entry", 5, "escalation_policies[0].steps"),

        ["escalation-steps-out-of-order"] = new(
            """
            vigil:
              name: test
            notifiers:
              - { id: ops, webhook: { url: "http://localhost:9000/hook" } }
            escalation_policies:
              - id: default
                steps:
                  - { after: 30m, notify: [notifier:ops] }
                  - { after: 15m, notify: [notifier:ops] }
            """,
            "steps must be in time order", 9, "escalation_policies[0].steps[1].after"),

        ["port-out-of-range"] = new(
            """
            vigil:
              name: test
            services:
              - id: db
                checks:
                  - { id: port, tcp: { host: localhost, port: 70000 } }
            """,
            "`70000` is out of range; use a value from 1 to 65535", 6, "services[0].checks[0].tcp.port"),

        ["bad-email"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice, email: "alice at example.com" }
            """,
            "invalid e-mail address `alice at example.com`", 4, "people[0].email"),

        ["bad-regex"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                checks:
                  - id: health
                    http: { url: "https://localhost/health", body_regex: "status: (ok" }
            """,
            "invalid regular expression `status: (ok`", 7, "services[0].checks[0].http.body_regex"),

        ["bad-handoff"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice }
            schedules:
              - id: primary
                layers:
                  - { handoff: "Funday 09:00", members: [alice] }
            """,
            "`Funday` is not a weekday", 8, "schedules[0].layers[0].handoff"),

        ["daily-handoff-with-weekday"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice }
            schedules:
              - id: primary
                layers:
                  - { rotation: daily, handoff: "Fri 17:00", members: [alice] }
            """,
            "a daily rotation hands off at a time of day; write `\"17:00\"`", 8, "schedules[0].layers[0].handoff"),

        ["custom-rotation-without-shift-length"] = new(
            """
            vigil:
              name: test
            people:
              - { id: alice }
            schedules:
              - id: primary
                layers:
                  - rotation: custom
                    members: [alice]
            """,
            "a custom rotation needs `shift_length`", 8, "schedules[0].layers[0].rotation"),

        ["maintenance-without-timing"] = new(
            """
            vigil:
              name: test
            maintenance:
              - id: patching
                services: ["*"]
            """,
            "a window needs `start` and `end` (one-off) or `cron` and `duration` (recurring)", 4, "maintenance[0]"),

        ["bad-label-name"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                labels: { "team name": platform }
            """,
            "invalid label name `team name`", 5, "services[0].labels[\"team name\"]"),

        ["slo-unknown-check"] = new(
            """
            vigil:
              name: test
            services:
              - id: api
                slo: { availability: 99.9%, checks: [helth] }
                checks:
                  - { id: health, tcp: { host: localhost, port: 80 } }
            """,
            "`helth` is not a check of service `api`; did you mean `health`?", 5, "services[0].slo.checks[0]"),

        ["unsupported-store"] = new(
            """
            vigil:
              name: test
              store: mysql://db/vigil
            """,
            "unsupported store `mysql://db/vigil`", 3, "vigil.store"),

        ["postgres-store-url-with-password"] = new(
            """
            vigil:
              name: test
              store: postgres://vigil:hunter2@db:5432/vigil
            """,
            "the PostgreSQL URL holds a password, and config files end up in git", 3, "vigil.store"),

        ["bad-datetime-without-offset"] = new(
            """
            vigil:
              name: test
            maintenance:
              - { id: upgrade, start: "2025-03-01T09:00:00", end: "2025-03-01T11:00:00Z", services: ["*"] }
            """,
            "with an offset", 4, "maintenance[0].start"),

        ["lint-unknown-rule"] = new(
            """
            vigil:
              name: test
            runbooks:
              lint:
                rules:
                  broken-links: off
            """,
            "unknown lint rule `broken-links`; the rules are destructive-command, unresolved-placeholder", 6, "runbooks.lint.rules.broken-links"),

        ["lint-bad-setting"] = new(
            """
            vigil:
              name: test
            runbooks:
              lint:
                rules:
                  stale-review: loud
            """,
            "`loud` is not a rule setting; write one of off, info, warning, error", 6, "runbooks.lint.rules.stale-review"),

        ["lint-override-bad-setting"] = new(
            """
            vigil:
              name: test
            runbooks:
              lint:
                overrides:
                  - paths: [legacy/**]
                    rules: { destructive-command: fatal }
            """,
            "`fatal` is not a rule setting", 7, "runbooks.lint.overrides[0].rules.destructive-command"),

        ["lint-override-without-paths"] = new(
            """
            vigil:
              name: test
            runbooks:
              lint:
                overrides:
                  - rules: { broken-link: off }
            """,
            "paths", 6, "runbooks.lint.overrides[0].paths"),

        ["lint-unknown-key"] = new(
            """
            vigil:
              name: test
            runbooks:
              lint:
                baseline_file: x.json
            """,
            "baseline_file", 5, "runbooks.lint.baseline_file"),

        ["runbooks-executable-empty-glob"] = new(
            """
            vigil:
              name: test
            runbooks:
              executable: ["runbooks/ops/**", ""]
            """,
            "a path glob is empty", 4, "runbooks.executable[1]"),

        ["witness-relative-file"] = new(
            """
            vigil:
              name: test
            audit:
              witnesses:
                - id: offsite
                  file: { path: audit.jsonl }
            """,
            "`path` must be absolute (got `audit.jsonl`)", 6, "audit.witnesses[0].file.path"),

        ["witness-no-kind"] = new(
            """
            vigil:
              name: test
            audit:
              witnesses:
                - id: offsite
                  timeout: 5s
            """,
            "none is set", 5, "audit.witnesses[0]"),

        ["witness-object-lock-mode"] = new(
            """
            vigil:
              name: test
            audit:
              witnesses:
                - id: locked
                  s3:
                    bucket: audit
                    object_lock: { mode: forever, days: 30 }
            """,
            "`forever`", 8, "audit.witnesses[0].s3.object_lock.mode"),

        ["witness-duplicate-id"] = new(
            """
            vigil:
              name: test
            audit:
              witnesses:
                - { id: w, file: { path: /mnt/a.jsonl } }
                - { id: w, webhook: { url: "https://example.com/w" } }
            """,
            "duplicate id `w`", 6, "audit.witnesses[1].id"),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
