using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Bench;

/// <summary>
/// The real <c>vigil serve</c> as a child process on loopback with its own data directory, so its
/// CPU and memory can be read from <c>/proc/&lt;pid&gt;</c> apart from the benchmark's.
/// </summary>
internal sealed partial class VigilChild : IAsyncDisposable
{
    private readonly Process _process;

    private VigilChild(Process process, string address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public string Address { get; }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    public string DatabasePath => Path.Combine(DataDirectory, "vigil.db");

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    /// <summary>Starts <c>vigil serve -c configPath --data dataDirectory</c> on 127.0.0.1 and waits until it listens.</summary>
    public static async Task<VigilChild> StartAsync(string configPath, string dataDirectory)
    {
        // VIGIL_BENCH_VIGIL=path/to/vigil.dll runs another build (a before/after comparison with the same load generator);
        // a path not ending in .dll is an executable run as it is, such as the single-file binary of build/publish.sh.
        var dll = Environment.GetEnvironmentVariable("VIGIL_BENCH_VIGIL") is { Length: > 0 } other ? other : Path.Combine(AppContext.BaseDirectory, "vigil.dll");
        var executable = !dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var psi = new ProcessStartInfo(executable ? Path.GetFullPath(dll) : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (executable ? [] : new[] { dll }).Concat(["serve", "-c", configPath, "--data", dataDirectory, "--listen", "http://127.0.0.1:0"]))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(psi)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // VIGIL_BENCH_LOG=path keeps the server's own output for a look afterwards.
        var log = Environment.GetEnvironmentVariable("VIGIL_BENCH_LOG") is { Length: > 0 } logPath ? TextWriter.Synchronized(File.AppendText(logPath)) : null;
        process.OutputDataReceived += (_, e) =>
        {
            log?.WriteLine(e.Data);
            if (e.Data is { } line && Listening().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(m.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            log?.WriteLine(e.Data);
            if (e.Data is { } line && errors.Count < 50)
            {
                errors.Enqueue(line);
            }
        };
        process.Exited += (_, _) => log?.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(300)));
        if (first != listening.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException("vigil serve did not start:\n" + string.Join("\n", errors));
        }

        return new VigilChild(process, await listening.Task, dataDirectory);
    }

    /// <summary>CPU seconds (user + system) and memory of the child, from /proc.</summary>
    public ProcSample Sample()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Fields 14 and 15 (utime, stime) counted from the state field at index 0 after ')'.
        var ticks = long.Parse(stat[11], CultureInfo.InvariantCulture) + long.Parse(stat[12], CultureInfo.InvariantCulture);
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        long Kb(string key) => long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        long Size(string f) => File.Exists(f) ? new FileInfo(f).Length : 0;
        return new ProcSample(ticks / 100.0, Kb("VmRSS:"), Kb("VmHWM:"), Size(DatabasePath), Size(DatabasePath + "-wal"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+?)/? ")]
    private static partial Regex Listening();
}

/// <summary>One reading of the child: CPU seconds so far, RSS and peak RSS, store file sizes.</summary>
internal sealed record ProcSample(double CpuSeconds, long RssBytes, long PeakRssBytes, long DbBytes, long WalBytes)
{
    public long StoreBytes => DbBytes + WalBytes;
}
