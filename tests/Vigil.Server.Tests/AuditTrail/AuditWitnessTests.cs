using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Cli;
using Vigil.Core.Audit;
using Vigil.Core.Signing;
using Vigil.Core.Storage;
using Vigil.Server.AuditTrail;
using Vigil.Server.AuditTrail.Witnesses;
using Vigil.Server.Tests.Notifications;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.AuditTrail;

/// <summary>
/// Witnesses off the host: every signed checkpoint goes to a file, an S3 bucket (s3rver on loopback) or a webhook
/// (a loopback receiver), and <c>vigil audit verify --witness</c> catches what the local checkpoints cannot once the
/// attacker holds the signing key: the newest entries cut off, and the whole chain re-hashed and re-signed.
/// </summary>
public sealed class AuditWitnessTests
{
    // Checkpoints only when the test asks; delivery the test drives with DeliverNowAsync.
    private static string Config(string witnesses) => TestServer.MinimalConfig + $"""

        audit:
          checkpoint_every: 100000
          checkpoint_max_delay: 10m
          witnesses:
        {witnesses}
        """;

    private static async Task<AuditCheckpoint> CheckpointAndDeliverAsync(TestServer server)
    {
        var cp = await server.App.Services.GetRequiredService<AuditCheckpointer>().CheckpointNowAsync(CancellationToken.None);
        Assert.NotNull(cp);
        await server.App.Services.GetRequiredService<WitnessDelivery>().DeliverNowAsync(CancellationToken.None);
        return cp;
    }

    private static List<WitnessStatus> Status(TestServer server) => [.. server.App.Services.GetRequiredService<WitnessDelivery>().Status()];

    [Fact]
    public async Task FileWitness_OneJsonLinePerCheckpoint_AndCuttingTheNewestEntriesIsCaught()
    {
        using var mount = new TempDirectory();
        var path = mount.File("vigil-audit.jsonl");
        await using var server = await TestServer.StartAsync(Config($"    - {{ id: offsite, file: {{ path: \"{path}\" }} }}"));
        await server.CreateTokenAsync("a", "viewer");
        var first = await CheckpointAndDeliverAsync(server);
        await server.CreateTokenAsync("b", "viewer");
        await server.CreateTokenAsync("c", "viewer");
        var second = await CheckpointAndDeliverAsync(server);

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        var line = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal("test", line.GetProperty("instance").GetString());
        Assert.Equal(second.Seq, line.GetProperty("seq").GetInt64());
        Assert.Equal(second.Hash, line.GetProperty("hash").GetString());
        Assert.Equal(second.KeyId, line.GetProperty("key_id").GetString());
        Assert.Equal(second.Signature, line.GetProperty("signature").GetString());
        Assert.Equal(second.At, DateTimeOffset.Parse(line.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(second.Seq, Assert.Single(Status(server)).DeliveredThrough);

        var agrees = await server.CliAsync("audit", "verify", "--witness", "offsite");
        Assert.True(agrees.ExitCode == 0, agrees.ToString());
        Assert.Contains($"Witness offsite agrees: 2 witnessed checkpoints verified and match the chain, the newest covering entry #{second.Seq}", agrees.Out);

        // The attacker cuts the chain back to the first checkpoint, with its head and the local checkpoints after it:
        // what remains is consistent and signed, so the local verify passes.
        var db = Path.Combine(server.DataDirectory, "vigil.db");
        await AuditTamper.TruncateAsync(db, first.Seq);
        var local = await server.CliAsync("audit", "verify");
        Assert.True(local.ExitCode == 0, "a clean cut passes the local verify: " + local);

        var caught = await server.CliAsync("audit", "verify", "--witness", "all");

        Assert.Equal(ExitCodes.Failed, caught.ExitCode);
        Assert.Contains($"Witness offsite DISAGREES at checkpoint #{second.Seq}", caught.Error);
        Assert.Contains($"the local chain ends at #{first.Seq}; the newest entries were removed", caught.Error);
    }

    [Fact]
    public async Task RehashAndResign_WithTheHostsKey_PassesLocally_ButFileAndS3WitnessesCatchIt()
    {
        await using var s3 = await S3Server.StartAsync();
        using var mount = new TempDirectory();
        var path = mount.File("witness.jsonl");
        await using var server = await TestServer.StartAsync(Config($$"""
                - { id: offsite, file: { path: "{{path}}" } }
                - id: bucket
                  s3:
                    bucket: {{S3Server.Bucket}}
                    prefix: audit/test/
                    endpoint: "{{s3.Endpoint}}"
                    access_key_env: {{S3Server.AccessKeyEnv}}
                    secret_key_env: {{S3Server.SecretKeyEnv}}
                    object_lock: { mode: COMPLIANCE, days: 30 }
            """));
        for (var i = 0; i < 3; i++)
        {
            await server.CreateTokenAsync($"before{i}", "viewer");
        }

        var cp = await CheckpointAndDeliverAsync(server);
        await server.CreateTokenAsync("after", "viewer");
        var newest = await CheckpointAndDeliverAsync(server);
        Assert.All(Status(server), w => Assert.True(w.Ok && w.DeliveredThrough == newest.Seq, $"{w.Id}: {w.LastError}\n{s3.Log}"));
        Assert.Equal([S3Witness.Key("audit/test/", cp.Seq), S3Witness.Key("audit/test/", newest.Seq)], s3.Keys("audit/"));
        var before = await server.CliAsync("audit", "verify", "--witness", "all", "-o", "json");
        Assert.True(before.ExitCode == 0, before.ToString());

        // The attacker holds the host's key: entry #3 is rewritten, every later hash and the head recomputed, and
        // every checkpoint re-signed over the new hashes. Nothing on the host can tell.
        var db = Path.Combine(server.DataDirectory, "vigil.db");
        await AuditTamper.RehashAsync(db, 3, "nothing to see", resignWith: server.App.Services.GetRequiredService<ISigner>());
        var local = await server.CliAsync("audit", "verify");
        Assert.True(local.ExitCode == 0, "re-signed with the host's key, the local verify passes: " + local);

        var caught = await server.CliAsync("audit", "verify", "--witness", "all");

        Assert.Equal(ExitCodes.Failed, caught.ExitCode);
        Assert.Contains($"Witness offsite DISAGREES at checkpoint #{cp.Seq}: entry #{cp.Seq} no longer has the hash witness offsite received", caught.Error);
        Assert.Contains($"Witness bucket DISAGREES at checkpoint #{cp.Seq}: entry #{cp.Seq} no longer has the hash witness bucket received", caught.Error);
        Assert.Contains("re-hashed", caught.Error);
    }

    [Fact]
    public async Task S3Witness_AsksForObjectLock_WithContentMd5_AsS3Requires()
    {
        // s3rver accepts but drops object lock headers, so a loopback receiver stands in for the bucket to show what Vigil sends.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
        await using var bucket = await HttpReceiver.StartAsync((ctx, _) =>
        {
            ctx.Response.Headers.ETag = "\"0\"";
            return Task.CompletedTask;
        });
        await using var server = await TestServer.StartAsync(Config($$"""
                - id: locked
                  s3:
                    bucket: audit
                    endpoint: "{{bucket.BaseAddress.ToString().TrimEnd('/')}}"
                    access_key_env: {{S3Server.AccessKeyEnv}}
                    secret_key_env: {{S3Server.SecretKeyEnv}}
                    object_lock: { mode: governance, days: 400 }
            """), clock);
        Environment.SetEnvironmentVariable(S3Server.AccessKeyEnv, S3Server.AccessKey);
        Environment.SetEnvironmentVariable(S3Server.SecretKeyEnv, S3Server.AccessKey);

        var cp = await CheckpointAndDeliverAsync(server);

        Assert.True(Assert.Single(Status(server)).Ok, Status(server)[0].LastError);
        var put = Assert.Single(bucket.Requests, r => r.Method == "PUT");
        Assert.Equal("/audit/" + S3Witness.Key("vigil-audit/", cp.Seq), put.PathAndQuery);
        Assert.Equal("GOVERNANCE", put.Header("x-amz-object-lock-mode"));
        Assert.Equal("2028-01-11T01:00:00Z", put.Header("x-amz-object-lock-retain-until-date")?.Replace(".000Z", "Z", StringComparison.Ordinal));
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(put.Body)), put.Header("Content-MD5"));
        Assert.Equal(cp.Hash, JsonDocument.Parse(put.Body).RootElement.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task WebhookWitness_ExactBody_FailuresRetryWithoutBlockingAuditWrites_AndACopyVerifies()
    {
        var bodies = new ConcurrentQueue<string>();
        var status = HttpStatusCode.InternalServerError;
        await using var receiver = await HttpReceiver.StartAsync(async (ctx, request) =>
        {
            ctx.Response.StatusCode = (int)status;
            if (status == HttpStatusCode.OK)
            {
                bodies.Enqueue(request.BodyText);
            }

            await ctx.Response.WriteAsync("");
        });
        await using var server = await TestServer.StartAsync(Config($"    - {{ id: hook, webhook: {{ url: \"{receiver.Url("/witness")}\" }}, initial_backoff: 1h, max_backoff: 1h }}"));
        var delivery = server.App.Services.GetRequiredService<WitnessDelivery>();

        // The receiver is down: the checkpoint is signed and stored all the same, and audit writes go on.
        var first = await CheckpointAndDeliverAsync(server);
        await server.CreateTokenAsync("while-down", "viewer");
        var down = Assert.Single(Status(server));
        Assert.False(down.Ok);
        Assert.Equal(1, down.Pending);
        Assert.Null(down.DeliveredThrough);
        Assert.Contains("answered 500", down.LastError);
        Assert.NotNull(down.NextAttemptAt);
        var listed = await server.CliAsync("audit", "witnesses");
        Assert.Equal(ExitCodes.Failed, listed.ExitCode);
        Assert.Contains("failing", listed.Out);
        var second = await server.App.Services.GetRequiredService<AuditCheckpointer>().CheckpointNowAsync(CancellationToken.None);
        Assert.NotNull(second);

        status = HttpStatusCode.OK;
        Assert.Equal(2, await delivery.DeliverNowAsync(CancellationToken.None));
        var up = Assert.Single(Status(server));
        Assert.True(up.Ok);
        Assert.Equal(second.Seq, up.DeliveredThrough);
        Assert.Equal(0, up.Pending);

        // In order, each exactly the signed checkpoint.
        var received = bodies.ToArray();
        Assert.Equal(2, received.Length);
        foreach (var (body, cp) in received.Zip([first, second]))
        {
            Assert.Equal(
                $$"""{"instance":"test","seq":{{cp.Seq}},"hash":"{{cp.Hash}}","at":"{{cp.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff}}Z","key_id":"{{cp.KeyId}}","signature":"{{cp.Signature}}"}""",
                body);
        }

        // Vigil cannot read a webhook back: naming it alone is refused with the way out; a copy of what the receiver kept verifies.
        var refused = await server.CliAsync("audit", "verify", "--witness", "hook");
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("--witness-file", refused.Error);
        await File.WriteAllLinesAsync(server.Dir.File("kept.jsonl"), received);
        var copy = await server.CliAsync("audit", "verify", "--witness", "hook", "--witness-file", "kept.jsonl");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains("Witness hook agrees: 2 witnessed checkpoints", copy.Out);

        await AuditTamper.RehashAsync(Path.Combine(server.DataDirectory, "vigil.db"), 2, "rewritten", resignWith: server.App.Services.GetRequiredService<ISigner>());
        var caught = await server.CliAsync("audit", "verify", "--witness", "hook", "--witness-file", "kept.jsonl");
        Assert.Equal(ExitCodes.Failed, caught.ExitCode);
        Assert.Contains($"Witness hook DISAGREES at checkpoint #{first.Seq}", caught.Error);

        await File.WriteAllTextAsync(server.Dir.File("bad.jsonl"), received[0] + "\nnot json\n");
        var bad = await server.CliAsync("audit", "verify", "--witness", "hook", "--witness-file", "bad.jsonl");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Line 2 of the witness copy is not a checkpoint record", bad.Error);
    }

    [Fact]
    public async Task FailedDelivery_IsRetriedByTheLoop_AfterTheBackoff_OnAFakeClock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
        var down = true;
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = down ? 503 : 200;
            return Task.CompletedTask;
        });
        await using var server = await TestServer.StartAsync(
            Config($"    - {{ id: hook, webhook: {{ url: \"{receiver.Url("/w")}\" }}, initial_backoff: 30s, max_backoff: 2m }}"), clock);
        var delivery = server.App.Services.GetRequiredService<WitnessDelivery>();

        // Only the checkpointer's enqueue wakes the loop: no test call delivers here.
        var cp = await server.App.Services.GetRequiredService<AuditCheckpointer>().CheckpointNowAsync(CancellationToken.None);
        var failing = await Eventually.UntilAsync(() => Task.FromResult(Status(server)[0]), w => w.ConsecutiveFailures == 1,
            delivery.NextAttemptAsync, TimeSpan.FromSeconds(30), "the first delivery attempt");
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(30), failing.NextAttemptAt);
        Assert.Contains("answered 503", failing.LastError);

        down = false;
        clock.Advance(TimeSpan.FromSeconds(31));
        var delivered = await Eventually.UntilAsync(() => Task.FromResult(Status(server)[0]), w => w.Ok,
            delivery.NextAttemptAsync, TimeSpan.FromSeconds(30), "the retry after the backoff");

        Assert.Equal(cp!.Seq, delivered.DeliveredThrough);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task NewWitness_StartsFromTheNewestCheckpoint_NotTheWholeHistory()
    {
        using var mount = new TempDirectory();
        var path = mount.File("w.jsonl");
        using var dir = new TempDirectory();
        var server = await TestServer.StartAsync(Config("    []"), dir: dir);
        var checkpointer = server.App.Services.GetRequiredService<AuditCheckpointer>();
        await checkpointer.CheckpointNowAsync(CancellationToken.None);
        await server.CreateTokenAsync("x", "viewer");
        var newest = await checkpointer.CheckpointNowAsync(CancellationToken.None);
        await server.App.StopAsync();
        await server.App.DisposeAsync();

        // The witness is added later: it gets the newest checkpoint (which vouches for all before it), not the history.
        await File.WriteAllTextAsync(dir.File("vigil.yaml"), Config($"    - {{ id: late, file: {{ path: \"{path}\" }} }}"));
        await using var again = await TestServer.StartAsync(dir: dir);
        await again.App.Services.GetRequiredService<WitnessDelivery>().DeliverNowAsync(CancellationToken.None);
        var lines = await File.ReadAllLinesAsync(path);
        var store = again.App.Services.GetRequiredService<IVigilStore>();
        var last = await store.ReadAsync((s, c) => s.Audit.LastCheckpointAsync(c), CancellationToken.None);
        Assert.Equal(last!.Seq, WitnessRecord.TryParse(Assert.Single(lines), out _)!.Seq);
        Assert.True(last.Seq >= newest!.Seq);
    }
}
