using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Storage.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster of a test's own (Debian's initdb and pg_ctl, a temporary folder, trust auth, a free
/// loopback port), which the test may stop and start again: for a database restart under load. initdb refuses root, so
/// as root the cluster runs as the <c>postgres</c> user (Debian's package makes it) through runuser.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly int _port;

    private PostgresCluster(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        _port = port;
    }

    /// <summary>A connection string to the cluster's <c>postgres</c> database as the superuser <c>vigil</c>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=vigil;Database=postgres";

    private string Data => Path.Combine(_dir, "data");

    /// <summary>Finds the binaries, runs initdb and starts the server; throws with how to provide PostgreSQL when it cannot.</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "No PostgreSQL server: initdb and pg_ctl were not found on PATH or in /usr/lib/postgresql/*/bin. " + PostgresServer.HowToProvide);
        var dir = Directory.CreateTempSubdirectory("vigil-pg-").FullName;
        if (Environment.UserName == "root")
        {
            if (!await TryRunAsync("id", ["-u", RootRunsAs]))
            {
                throw new InvalidOperationException($"No PostgreSQL server: initdb refuses to run as root, and there is no '{RootRunsAs}' user to run it as. " + PostgresServer.HowToProvide);
            }

            await RunAsync("chown", [RootRunsAs, dir], dir);
        }

        var cluster = new PostgresCluster(bin, dir, FreePort());
        await cluster.PgAsync("initdb", ["-D", cluster.Data, "-U", "vigil", "--auth=trust", "-E", "UTF8", "--locale=C"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopImmediatelyAndRemove();
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Starts the (stopped) server again on the same port and folder, waiting until it accepts connections.</summary>
    public Task StartAgainAsync() => PgAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir, "log"), "-w", "-t", "60", "-o",
        $"-c listen_addresses=127.0.0.1 -p {_port} -k {_dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"]);

    /// <summary>Stops the server as an operator's restart does (<c>-m fast</c>: open sessions are ended, nothing committed is lost).</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"]);

    public ValueTask DisposeAsync()
    {
        StopImmediatelyAndRemove();
        return ValueTask.CompletedTask;
    }

    /// <summary>The user the cluster runs as when the tests run as root.</summary>
    private const string RootRunsAs = "postgres";

    private void StopImmediatelyAndRemove()
    {
        if (!Directory.Exists(_dir))
        {
            return;
        }

        // A shell of its own, so the cleanup finishes even when the runner ends this process right after the last test.
        var (file, args) = AsOwner(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"]);
        using var stop = Process.Start(new ProcessStartInfo("/bin/sh",
            ["-c", "\"$@\" >/dev/null 2>&1; rm -rf \"$0\"", _dir, file, .. args]));
        stop?.WaitForExit(30_000);
    }

    private Task PgAsync(string tool, string[] args)
    {
        var (file, all) = AsOwner(Path.Combine(_bin, tool), args);
        return RunAsync(file, all, _dir);
    }

    private static (string File, string[] Args) AsOwner(string file, string[] args) =>
        Environment.UserName == "root" ? ("runuser", ["-u", RootRunsAs, "--", file, .. args]) : (file, args);

    internal static string? FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderByDescending(VersionOf)
            : Enumerable.Empty<string>();
        return path.Concat(debian).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));

        static int VersionOf(string bin) => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> TryRunAsync(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }

    private static async Task RunAsync(string file, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(workingDirectory, "log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {await error}{await output}{tail}\n" + PostgresServer.HowToProvide);
        }
    }
}
