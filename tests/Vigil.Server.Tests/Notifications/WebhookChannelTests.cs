using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Notifications;

namespace Vigil.Server.Tests.Notifications;

public sealed class WebhookChannelTests
{
    private const string Secret = "s3cret-hmac-key-for-tests";

    /// <summary>What a receiver does: recompute HMAC-SHA256(secret, "&lt;timestamp&gt;.&lt;body&gt;") and compare in constant time.</summary>
    private static bool VerifySignature(string secret, ReceivedRequest request)
    {
        var timestamp = request.Header("X-Vigil-Timestamp");
        var signature = request.Header("X-Vigil-Signature");
        if (timestamp is null || signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(request.Body).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        byte[] actual;
        try
        {
            actual = Convert.FromHexString(signature["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static Task Ok(HttpContext ctx, ReceivedRequest _) => ctx.Response.WriteAsync("accepted");

    [Fact]
    public async Task SendAsync_SignedWebhook_ReceiverVerifiesSignatureAndGetsSchema()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 5, TimeSpan.Zero));
        await using var receiver = await HttpReceiver.StartAsync(Ok);
        using var host = NotificationFixtures.Channels(time);
        var headers = new Dictionary<string, string> { ["X-Team"] = "platform", ["X-Vigil-Delivery"] = "forged" };

        var result = await host.SendAsync(NotificationFixtures.Webhook(receiver.Url("/hook?src=vigil"), Secret, headers: headers),
            NotificationFixtures.Message(recipient: NotificationFixtures.Alice));

        Assert.True(result.Success, result.Error);
        Assert.Equal(200, result.HttpStatus);
        Assert.Equal("200 OK: accepted", result.Reply);
        Assert.Null(result.Error);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook?src=vigil", request.PathAndQuery);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        Assert.Equal("platform", request.Header("X-Team"));
        // Config headers cannot replace the X-Vigil-* headers.
        Assert.Equal("n-12-0-0-alice", request.Header("X-Vigil-Delivery"));
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Header("X-Vigil-Timestamp"));
        Assert.True(VerifySignature(Secret, request), "the signature must verify with the shared secret");
        Assert.False(VerifySignature("not-the-secret", request), "a wrong secret must not verify");
        var tampered = request with { Body = Encoding.UTF8.GetBytes(request.BodyText.Replace("Disk full", "Disk fine", StringComparison.Ordinal)) };
        Assert.False(VerifySignature(Secret, tampered), "a changed body must not verify");

        using var doc = JsonDocument.Parse(request.Body);
        var root = doc.RootElement;
        Assert.Equal("1", root.GetProperty("version").GetString());
        Assert.Equal("n-12-0-0-alice", root.GetProperty("id").GetString());
        Assert.Equal("trigger", root.GetProperty("kind").GetString());
        Assert.Equal("test-install", root.GetProperty("installation").GetString());
        var incident = root.GetProperty("incident");
        Assert.Equal(12, incident.GetProperty("id").GetInt64());
        Assert.Equal("Disk full on db-1", incident.GetProperty("title").GetString());
        Assert.Equal("P1", incident.GetProperty("severity").GetString());
        Assert.Equal("api", incident.GetProperty("service").GetString());
        Assert.Equal("triggered", incident.GetProperty("status").GetString());
        Assert.Equal("disk / at 97% (critical above 95)", incident.GetProperty("summary").GetString());
        Assert.Equal("https://ops.example.com/incidents/12", incident.GetProperty("url").GetString());
        Assert.Equal(1, root.GetProperty("step").GetInt32());
        Assert.Equal(0, root.GetProperty("repeat").GetInt32());
        var recipient = root.GetProperty("recipient");
        Assert.Equal("alice", recipient.GetProperty("id").GetString());
        Assert.Equal("Alice", recipient.GetProperty("name").GetString());
        Assert.Equal("alice@example.com", recipient.GetProperty("email").GetString());
        Assert.Equal("@alice", recipient.GetProperty("slack").GetString());
        Assert.Equal("+4915100000", recipient.GetProperty("phone").GetString());
        Assert.Equal("2025-03-01T12:00:00Z", root.GetProperty("at").GetString());
        Assert.Equal(
            ["version", "id", "kind", "installation", "incident", "step", "repeat", "recipient", "at"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task SendAsync_NoSecretNoRecipient_UnsignedWithExplicitNulls()
    {
        await using var receiver = await HttpReceiver.StartAsync(Ok);
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Webhook(receiver.Url("/hook")),
            NotificationFixtures.Message(NotificationKind.Resolve, url: null) with { Service = null });

        Assert.True(result.Success, result.Error);
        Assert.True(result.Latency > TimeSpan.Zero);
        var request = Assert.Single(receiver.Requests);
        Assert.Null(request.Header("X-Vigil-Signature"));
        Assert.Null(request.Header("X-Vigil-Timestamp"));
        Assert.Equal("n-12-0-0-alice", request.Header("X-Vigil-Delivery"));
        using var doc = JsonDocument.Parse(request.Body);
        Assert.Equal("resolve", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("recipient").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("incident").GetProperty("service").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("incident").GetProperty("url").ValueKind);
    }

    [Fact]
    public async Task SendAsync_Receiver500_FailedWithStatusAndBodyAndSecretRedacted()
    {
        await using var receiver = await HttpReceiver.StartAsync(async (ctx, _) =>
        {
            ctx.Response.StatusCode = 500;
            // A careless receiver that echoes what it was configured with.
            await ctx.Response.WriteAsync($"database locked (configured secret {Secret})\n" + new string('x', 500));
        });
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Webhook(receiver.Url("/hook"), Secret), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal(500, result.HttpStatus);
        Assert.Contains("answered HTTP 500", result.Error);
        Assert.Contains(receiver.Url("/hook"), result.Error);
        Assert.StartsWith("500 Internal Server Error: database locked (configured secret ***)", result.Reply);
        Assert.True(result.Reply!.Length < 260, "the reply keeps only the start of the body");
        Assert.DoesNotContain(Secret, result.Reply);
        Assert.DoesNotContain(Secret, host.Logs.All);
        Assert.Contains("failed to deliver", host.Logs.All);
    }

    [Fact]
    public async Task SendAsync_ReceiverHangs_TimeoutIsAFailedResultNotAnException()
    {
        var time = new FakeTimeProvider(NotificationFixtures.At);
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) => Task.Delay(Timeout.Infinite, ctx.RequestAborted));
        using var host = NotificationFixtures.Channels(time);
        var notifier = NotificationFixtures.Webhook(receiver.Url("/slow"), timeout: TimeSpan.FromSeconds(3));

        var send = host.SendAsync(notifier, NotificationFixtures.Message());
        await receiver.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(result.Success);
        Assert.Null(result.HttpStatus);
        Assert.Equal($"webhook {receiver.Url("/slow")} did not finish within 3s (notifier timeout)", result.Error);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Latency);
    }

    [Fact]
    public async Task SendAsync_ReceiverClosesConnection_FailedResult()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await ReadRequestAsync(stream);
            // Hang up without a status line.
            client.Client.Shutdown(SocketShutdown.Both);
        });
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Webhook($"http://127.0.0.1:{port}/hook"), NotificationFixtures.Message());
        await server.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(result.Success);
        Assert.Equal($"webhook http://127.0.0.1:{port}/hook closed the connection before answering", result.Error);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_FailedResult()
    {
        var port = ClosedPort();
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Webhook($"http://127.0.0.1:{port}/hook", Secret), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Null(result.HttpStatus);
        Assert.Equal($"connection to webhook http://127.0.0.1:{port}/hook refused (is the receiver running?)", result.Error);
    }

    [Fact]
    public async Task SendAsync_SelfSignedReceiver_FailsTlsUnlessTlsVerifyIsOff()
    {
        using var cert = HttpReceiver.SelfSignedCertificate();
        await using var receiver = await HttpReceiver.StartAsync(Ok, cert);
        using var host = NotificationFixtures.Channels();
        var url = receiver.Url("/hook");
        Assert.StartsWith("https://127.0.0.1:", url);

        var verified = await host.SendAsync(NotificationFixtures.Webhook(url), NotificationFixtures.Message());
        var unverified = await host.SendAsync(NotificationFixtures.Webhook(url, tlsVerify: false), NotificationFixtures.Message());
        var verifiedAgain = await host.SendAsync(NotificationFixtures.Webhook(url), NotificationFixtures.Message());

        Assert.False(verified.Success);
        Assert.StartsWith($"TLS handshake with webhook {url} failed", verified.Error);
        Assert.True(unverified.Success, unverified.Error);
        // The unverified connection is pooled by its own client, never reused for a verified notifier.
        Assert.False(verifiedAgain.Success);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_Redirect_NotFollowedAndFailed()
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) =>
        {
            ctx.Response.Redirect("/elsewhere?token=abc");
            return Task.CompletedTask;
        });
        using var host = NotificationFixtures.Channels();

        var result = await host.SendAsync(NotificationFixtures.Webhook(receiver.Url("/hook")), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Equal(302, result.HttpStatus);
        Assert.Contains("redirects are not followed", result.Error);
        Assert.Contains(receiver.Url("/elsewhere") + "?…", result.Error);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_HeaderValueWithLineBreak_FailedWithoutSending()
    {
        await using var receiver = await HttpReceiver.StartAsync(Ok);
        using var host = NotificationFixtures.Channels();
        var headers = new Dictionary<string, string> { ["X-Bad"] = "a\r\nInjected: yes" };

        var result = await host.SendAsync(NotificationFixtures.Webhook(receiver.Url("/hook"), headers: headers), NotificationFixtures.Message());

        Assert.False(result.Success);
        Assert.Contains("header `X-Bad` contains a line break", result.Error);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceled()
    {
        await using var receiver = await HttpReceiver.StartAsync((ctx, _) => Task.Delay(Timeout.Infinite, ctx.RequestAborted));
        using var host = NotificationFixtures.Channels();
        using var cts = new CancellationTokenSource();

        var send = host.SendAsync(NotificationFixtures.Webhook(receiver.Url("/hook")), NotificationFixtures.Message(), cts.Token);
        await receiver.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Reads one HTTP/1.1 request with a Content-Length body, so closing afterwards is a clean FIN rather than a reset.</summary>
    private static async Task ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var n = await stream.ReadAsync(chunk);
            if (n == 0)
            {
                return;
            }

            buffer.AddRange(chunk.AsSpan(0, n));
        }

        var head = Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]);
        var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        var have = buffer.Count - headerEnd - 4;
        while (have < length)
        {
            var n = await stream.ReadAsync(chunk);
            if (n == 0)
            {
                return;
            }

            have += n;
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
