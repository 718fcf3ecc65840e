using System.Diagnostics;
using System.Text;

namespace Vigil.Server.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>/usr/bin/prometheus</c>) on a free loopback port with its own temporary
/// storage, scraping what <c>scrapeConfigs</c> names. Fails, never skips, when the binary is missing.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, TempDirectory dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What Prometheus printed so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="scrapeConfigs">The YAML list under <c>scrape_configs:</c>, each line indented two spaces.</param>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfigs)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: install Debian's prometheus package (.ci/run does); this test never skips.");
        var dir = new TempDirectory();
        var port = VigilProcess.FreePort();
        await File.WriteAllTextAsync(dir.File("prometheus.yml"), "global: { scrape_interval: 1s, scrape_timeout: 1s }\nscrape_configs:\n" + scrapeConfigs);
        var process = Process.Start(new ProcessStartInfo(Binary)
        {
            ArgumentList =
            {
                "--config.file=" + dir.File("prometheus.yml"),
                "--storage.tsdb.path=" + dir.File("data"),
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var server = new PrometheusServer(process, dir, port);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return server;
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _dir.Dispose();
    }
}
