using System.Text.RegularExpressions;
using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

public class SecretPatternsTests
{
    [Theory]
    [InlineData("export PASSWORD=hunter2", "hunter2")]
    [InlineData("mysql --user=app --password=hunter2 db", "hunter2")]
    [InlineData("DB_PASSWORD='p@ss w0rd'", "p@ss w0rd")]
    [InlineData("curl 'https://api/cb?token=abc123&x=1'", "abc123")]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("    password: hunter2", "hunter2")]
    [InlineData("  client_secret: \"s3cr3t value\"  # from the console", "s3cr3t value")]
    [InlineData("{\"api_key\":\"k-123\",\"user\":\"x\"}", "k-123")]
    [InlineData("kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef", "abcdef.0123456789abcdef")]
    [InlineData("curl -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig\" https://api", "eyJhbGciOiJIUzI1NiJ9.e30.sig")]
    [InlineData("aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("git clone https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/o/r", "ghp_0123456789abcdefghijABCDEFGHIJ012345")]
    [InlineData("GH=gho_0123456789abcdefghijABCDEFGHIJ012345", "gho_0123456789abcdefghijABCDEFGHIJ012345")]
    [InlineData("slack: xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----")]
    [InlineData("psql postgres://app:s3cr3t@db:5432/app", "s3cr3t")]
    [InlineData("redis-cli -u redis://:hunter2@cache:6379 ping", "hunter2")]
    [InlineData("export GRAFANA_API_TOKEN=1234abcd9f", "1234abcd9f")]
    [InlineData("api_key:     super-secret-key-7Hq2", "super-secret-key-7Hq2")]
    [InlineData("export ADMIN_API_PRIVATE_TOKEN=glpat-x8Yb2CHANGEME", "glpat-x8Yb2CHANGEME")]
    [InlineData("\"token\": \"get_me_from_vault_4f9a\",", "get_me_from_vault_4f9a")]
    [InlineData("privatekey: k3y/with/slashes+b64==", "k3y/with/slashes+b64==")]
    [InlineData("--private-key=MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")]
    [InlineData("{\"key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\"}", "-----BEGIN PRIVATE KEY-----")]
    [InlineData("key: -----BEGIN EC PRIVATE KEY----- MHcCAQEEIIrYSSNQFaA", "-----BEGIN EC PRIVATE KEY-----")]
    [InlineData("/validate?token=FILTERED42", "FILTERED42")]
    public void Find_locates_the_secret_value_and_Redact_masks_it(string line, string secret)
    {
        var match = Assert.Single(SecretPatterns.Find(line));

        Assert.Equal(secret, line.Substring(match.Index, match.Length));
        Assert.False(string.IsNullOrEmpty(match.Kind));
        var redacted = SecretPatterns.Redact(line);
        Assert.DoesNotContain(secret, redacted);
        Assert.Contains("***", redacted);
    }

    [Theory]
    [InlineData("PASSWORD=$PASSWORD")]
    [InlineData("PASSWORD=${PASSWORD:?set it}")]
    [InlineData("TOKEN=\"$(vault read -field=token secret/ci)\"")]
    [InlineData("password: <password>")]
    [InlineData("password: \"{{ vault_db_password }}\"")]
    [InlineData("secret: ${HOOK_SECRET}")]
    [InlineData("set PASSWORD=%DB_PASSWORD%")]
    [InlineData("PASSWORD=***")]
    [InlineData("PASSWORD=xxxxxxxx")]
    [InlineData("token: ...")]
    [InlineData("api_key: <redacted>")]
    [InlineData("api_key: '[REDACTED]'")]
    [InlineData("PASSWORD=")]
    [InlineData("password:")]
    [InlineData("verify_token: true")]
    [InlineData("Token: rotate it every month")]
    [InlineData("**Password:** ask the on-call lead")]
    [InlineData("max_tokens: 100")]
    [InlineData("password_file: /run/secrets/db")]
    [InlineData("docker login --password-stdin")]
    [InlineData("psql --password mydb")]
    [InlineData("./scripts/secrets-manager.sh rotate jwt_secret.key")]
    [InlineData("grep -E \"Failed password|Invalid user\" /var/log/auth.log")]
    [InlineData("curl -H \"Authorization: Bearer $JWT\" https://localhost/search")]
    [InlineData("curl -H \"Authorization: Bearer <token>\" https://localhost/search")]
    [InlineData("https://localhost:8443/api/health")]
    [InlineData("postgres://user@host/db")]
    [InlineData("postgres://app:${PGPASSWORD}@db/app")]
    [InlineData("aquasec/trivy image --security-checks vuln,config,secret")]
    [InlineData("  * `export GRAFANA_API_TOKEN=123`")]
    [InlineData("      api_key:     super-secret-key ")]
    [InlineData("   export GITLAB_GPRD_ADMIN_API_PRIVATE_TOKEN=CHANGEME")]
    [InlineData("$ OPS_API_TOKEN=secure-token MIGRATION_ENV=gprd ansible-playbook -i inventory.txt playbook.yml")]
    [InlineData("{\"status\":406,\"uri\":\"/validate?token=[FILTERED]\",\"user_agent\":\"HTTPie/2.4.0\"}")]
    [InlineData("            \"token\": \"get_me_from_vault\",")]
    [InlineData("      privatekey: /etc/docker/registry/middleware.storage/0/private-key")]
    [InlineData("gcloud compute ssl-certificates create web --certificate=web.chained.crt --private-key=web.example.net.key")]
    [InlineData("- SSL key value (the block started with `-----BEGIN PRIVATE KEY-----`),")]
    [InlineData("    \"client_secret\": \"client_secret_value\",")]
    public void Find_ignores_references_placeholders_masks_and_prose(string line)
    {
        Assert.Empty(SecretPatterns.Find(line));
        Assert.Equal(line, SecretPatterns.Redact(line));
    }

    [Fact]
    public void Find_reports_overlapping_detections_once_and_in_order()
    {
        const string line = "GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345 PASSWORD=hunter2";

        var found = SecretPatterns.Find(line);

        Assert.Equal(["ghp_0123456789abcdefghijABCDEFGHIJ012345", "hunter2"], found.Select(m => line.Substring(m.Index, m.Length)));
        Assert.Equal("GITHUB_TOKEN=*** PASSWORD=***", SecretPatterns.Redact(line));
    }

    [Fact]
    public void BuiltIn_patterns_each_name_the_secret_group_for_redactors()
    {
        Assert.NotEmpty(SecretPatterns.BuiltIn);
        Assert.All(SecretPatterns.BuiltIn, r => Assert.Contains("secret", r.GetGroupNames()));
        Assert.Equal("hunter2", SecretPatterns.BuiltIn.Select(r => r.Match("PASSWORD=hunter2")).First(m => m.Success).Groups["secret"].Value);
    }

    [Theory]
    [InlineData("a.", 50_000)]
    [InlineData("password", 20_000)]
    [InlineData("x://", 30_000)]
    [InlineData("--token-", 20_000)]
    [InlineData("Authorization: Bearer ", 5_000)]
    [InlineData("-----BEGIN ", 10_000)]
    public void Find_on_long_adversarial_lines_finds_nothing_or_hides_the_line(string repeated, int count)
    {
        // The time bound itself is structural (Every_built_in_detector_has_a_bounded_run_time): no wall clock here.
        var line = string.Concat(Enumerable.Repeat(repeated, count));
        var redacted = SecretPatterns.Redact(line, "[x]");
        Assert.True(redacted == line || !redacted.Contains(repeated + repeated, StringComparison.Ordinal) || redacted.Length < line.Length);
    }

    [Fact]
    public void Every_built_in_detector_is_linear_with_no_timeout_so_findings_do_not_depend_on_machine_load()
    {
        // A timeout made the result depend on load (the same 112-character line of docs/redis/redis.md was once a
        // secret, once not). NonBacktracking is linear in the text, so no detector needs one and none gives up.
        Assert.All(SecretPatterns.BuiltIn, r =>
        {
            Assert.True(r.Options.HasFlag(RegexOptions.NonBacktracking), $"backtracking: {r}");
            Assert.Equal(Regex.InfiniteMatchTimeout, r.MatchTimeout);
        });
        var line = "The bigkeys are stored in a GCS bucket named `gitlab-gprd-redis-analysis` under the `gitlab-production` project.";
        Assert.Empty(SecretPatterns.Find(line));
        var adversarial = string.Concat(Enumerable.Repeat("token=a.password: --token- ", 20_000));
        Assert.All(SecretPatterns.Find(adversarial), m => Assert.NotEqual(adversarial.Length, m.Length));
    }

    [Fact]
    public void Every_built_in_detector_has_a_bounded_run_time()
    {
        var regexes = RegexBounds.StaticRegexesOf(typeof(SecretPatterns));

        Assert.True(regexes.Count >= SecretPatterns.BuiltIn.Count, $"found {regexes.Count} regexes");
        Assert.All(regexes.Concat(SecretPatterns.BuiltIn), r => Assert.True(RegexBounds.IsBounded(r), $"unbounded: {r}"));
    }

    [Theory]
    [InlineData("export VIGIL_TOKEN=vgl_0123456789abcdefghijABCDEFGHIJ0123456789", "vgl_0123456789abcdefghijABCDEFGHIJ0123456789")]
    [InlineData("curl -H 'X-Token: x' -d@- vgl_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd", "vgl_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd")]
    [InlineData("curl -fsS -X POST https://vigil.example.com/api/v1/heartbeats/nightly-backup-7f3c9a/start", "nightly-backup-7f3c9a")]
    [InlineData("ping http://127.0.0.1:8080/api/v1/heartbeats/hb_0123456789abcdef?status=0", "hb_0123456789abcdef")]
    public void Vigil_tokens_and_heartbeat_urls_are_secrets(string line, string secret)
    {
        var match = Assert.Single(SecretPatterns.Find(line));
        Assert.Equal(secret, line.Substring(match.Index, match.Length));
        Assert.DoesNotContain(secret, new OutputRedactor([], []).Redact(line), StringComparison.Ordinal);
        Assert.Contains(OutputRedactor.Mask, new OutputRedactor([], []).Redact(line), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST /api/v1/heartbeats/{token} when the job succeeds")]
    [InlineData("curl -X POST \"$VIGIL_URL/api/v1/heartbeats/$HEARTBEAT_TOKEN\"")]
    [InlineData("the vgl_ prefix marks Vigil tokens")]
    public void References_to_vigil_tokens_are_not_secrets(string line)
    {
        Assert.Empty(SecretPatterns.Find(line));
    }
}
