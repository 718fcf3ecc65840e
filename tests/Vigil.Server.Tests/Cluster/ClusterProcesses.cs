using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Server.Tests.Support;
using Vigil.Storage.Tests;

namespace Vigil.Server.Tests.Cluster;

/// <summary>
/// Several real <c>vigil serve</c> processes on 127.0.0.1 sharing one PostgreSQL database (a fresh one on the tests' server): one
/// config file, one set of keys and one admin token (the first node's data folder copied to the others, as docs/operations.md
/// "Keys" says), a data folder and an id of their own (<c>node-a</c>, <c>node-b</c>, …). A node can be killed (SIGKILL), paused
/// (SIGSTOP) and started again on a fresh port. Disposing kills every child, whatever happened, and drops the database.
/// </summary>
internal sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly string _database;
    private readonly VigilProcess?[] _processes;
    private readonly Uri?[] _addresses;
    private readonly List<string> _earlier = [];

    private ClusterProcesses(TempDirectory dir, string database, int count)
    {
        _dir = dir;
        _database = database;
        _processes = new VigilProcess?[count];
        _addresses = new Uri?[count];
    }

    public int Count => _processes.Length;

    public string Token { get; private set; } = "";

    public string Directory => _dir.Path;

    public static string NodeId(int i) => "node-" + (char)('a' + i);

    public static int IndexOf(string nodeId) => nodeId.Length == 6 && nodeId.StartsWith("node-", StringComparison.Ordinal) ? nodeId[5] - 'a' : -1;

    /// <summary>Writes <paramref name="config"/>, starts the first node, copies its data folder (keys, admin token) to the others and starts them.</summary>
    public static async Task<ClusterProcesses> StartAsync(string config, int count)
    {
        var dir = new TempDirectory();
        var database = await PostgresServer.CreateDatabaseAsync();
        var nodes = new ClusterProcesses(dir, database, count);
        try
        {
            await File.WriteAllTextAsync(dir.File("vigil.yaml"), config);
            System.IO.Directory.CreateDirectory(nodes.DataOf(0));
            await File.WriteAllTextAsync(Path.Combine(nodes.DataOf(0), "node-id"), NodeId(0) + "\n");
            await nodes.StartAsync(0);
            nodes.Token = (await File.ReadAllTextAsync(Path.Combine(nodes.DataOf(0), "admin.token"))).Trim();
            for (var i = 1; i < count; i++)
            {
                CopyFolder(nodes.DataOf(0), nodes.DataOf(i));
                await File.WriteAllTextAsync(Path.Combine(nodes.DataOf(i), "node-id"), NodeId(i) + "\n");
            }

            await Task.WhenAll(Enumerable.Range(1, count - 1).Select(nodes.StartAsync));
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    public bool IsUp(int i)
    {
        var process = _processes[i];
        try
        {
            return process is { HasExited: false } && _addresses[i] is not null;
        }
        catch (InvalidOperationException)
        {
            // Disposed by a restart just now.
            return false;
        }
    }

    public Uri? AddressOf(int i) => _addresses[i];

    public VigilProcess? ProcessOf(int i) => _processes[i];

    /// <summary>Starts node <paramref name="i"/> on a fresh loopback port and waits until it listens.</summary>
    public async Task StartAsync(int i)
    {
        var port = VigilProcess.FreePort();
        var env = new Dictionary<string, string> { ["VIGIL_STORAGE_POSTGRES"] = _database };
        if (_processes[i] is { } before)
        {
            _processes[i] = null;
            _earlier.Add($"{NodeId(i)} (an earlier run)\n{before.Output}");
            await before.DisposeAsync();
        }

        var process = VigilProcess.Start(_dir.Path, env, "serve", "-c", _dir.File("vigil.yaml"), "--data", DataOf(i), "--listen", $"http://127.0.0.1:{port}");
        _processes[i] = process;
        _addresses[i] = await process.WaitListeningAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>SIGKILL to node <paramref name="i"/>; returns once it is gone.</summary>
    public async Task KillAsync(int i)
    {
        _addresses[i] = null;
        if (_processes[i] is { } p)
        {
            await p.KillAsync();
        }
    }

    public HttpClient Client(int i, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = _addresses[i] ?? throw new InvalidOperationException($"{NodeId(i)} is down"), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>GET on the first node that answers, skipping <paramref name="except"/>; the body as JSON.</summary>
    public async Task<JsonElement> GetAsync(string path, int except = -1)
    {
        Exception? last = null;
        for (var i = 0; i < Count; i++)
        {
            if (i == except || !IsUp(i))
            {
                continue;
            }

            try
            {
                using var client = Client(i);
                using var response = await client.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    return JsonDocument.Parse(text).RootElement.Clone();
                }

                last = new InvalidOperationException($"GET {path} on {NodeId(i)}: {(int)response.StatusCode} {text}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException($"no node answered GET {path}", last);
    }

    /// <summary>The leader's node id as a node other than <paramref name="except"/> sees it (null when none leads).</summary>
    public async Task<string?> LeaderAsync(int except = -1)
    {
        var view = await GetAsync("/api/v1/cluster", except);
        return view.TryGetProperty("leader", out var leader) && leader.ValueKind == JsonValueKind.Object ? leader.GetProperty("node").GetString() : null;
    }

    /// <summary>Every node's output, for a failure message.</summary>
    public string Outputs(int lastLines = 30) => string.Join("\n", Enumerable.Range(0, Count).Select(i =>
        $"--- {NodeId(i)}\n" + string.Join("\n", (_processes[i]?.Output ?? "").Split('\n').TakeLast(lastLines))));

    /// <summary>The warnings and errors the nodes printed (distinct, the first 40), for a failure message.</summary>
    public string Problems() => string.Join("\n", Enumerable.Range(0, Count)
        .SelectMany(i => string.Join("\n", _earlier.Where(e => e.StartsWith(NodeId(i), StringComparison.Ordinal)).Append(_processes[i]?.Output ?? "")).Split('\n').Where(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)).Select(l => NodeId(i) + ": " + l))
        .Distinct().Take(40));

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            if (p is not null)
            {
                try
                {
                    p.Resume();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                await p.DisposeAsync();
            }
        }

        try
        {
            await PostgresServer.DropDatabaseAsync(_database);
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private string DataOf(int i) => _dir.File("data-" + NodeId(i));

    private static void CopyFolder(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from).Where(f => Path.GetFileName(f) is not ("vigil.lock" or "vigil.pid" or "node-id")))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in System.IO.Directory.GetDirectories(from))
        {
            CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}

/// <summary>A Kestrel on 127.0.0.1:0 that answers every request through a test's handler: a probe target or a webhook receiver.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One page as the webhook receiver got it: the delivery id (the ledger's key) and what it is about.</summary>
internal sealed record ReceivedPage(string Delivery, string Kind, long Incident, int Step, int Repeat, double At)
{
    public static async Task<ReceivedPage> ReadAsync(HttpContext ctx, double at)
    {
        using var doc = await JsonDocument.ParseAsync(ctx.Request.Body);
        var root = doc.RootElement;
        return new ReceivedPage(ctx.Request.Headers["X-Vigil-Delivery"].ToString(), root.GetProperty("kind").GetString()!,
            root.GetProperty("incident").GetProperty("id").GetInt64(), root.GetProperty("step").GetInt32(), root.GetProperty("repeat").GetInt32(), at);
    }
}
