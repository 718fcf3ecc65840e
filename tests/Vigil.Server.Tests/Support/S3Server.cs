using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Server.Tests.Support;

/// <summary>
/// A real S3-compatible server: s3rver (npm, pinned in <c>tests/s3/package-lock.json</c>, installed by
/// <c>npm ci --prefix tests/s3</c>, which <c>.ci/run</c> does) as a node child process on a free 127.0.0.1
/// port with its own temporary folder, with <see cref="Bucket"/> created at start. It accepts any
/// well-formed SigV4 request signed with the access key and secret <see cref="AccessKey"/>. Fails, never skips,
/// when node or the package is missing.
/// </summary>
internal sealed partial class S3Server : IAsyncDisposable
{
    public const string Bucket = "vigil-test";

    /// <summary>s3rver's built-in credentials (access key id and secret are both this).</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>Environment variables a test config names in <c>access_key_env</c>/<c>secret_key_env</c>; set process-wide to the
    /// same constant by every test, so tests running in parallel never see a different value.</summary>
    public const string AccessKeyEnv = "VIGIL_TEST_S3RVER_ACCESS_KEY";

    public const string SecretKeyEnv = "VIGIL_TEST_S3RVER_SECRET_KEY";

    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private S3Server(Process process, TempDirectory dir)
    {
        _process = process;
        _dir = dir;
    }

    /// <summary>The endpoint (<c>http://127.0.0.1:PORT</c>) for <c>endpoint:</c> in a config.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>Where s3rver keeps the objects: <c>{Root}/{bucket}/{key}._S3rver_object</c>.</summary>
    public string Root => _dir.File("s3");

    /// <summary>What s3rver printed so far (one line per request), for failure messages.</summary>
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

    public static async Task<S3Server> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "s3", "node_modules", "s3rver", "bin", "s3rver.js");
        Assert.True(File.Exists(script), $"{script} is missing: run `npm ci --prefix tests/s3` (.ci/run does); this test never skips.");
        Environment.SetEnvironmentVariable(AccessKeyEnv, AccessKey);
        Environment.SetEnvironmentVariable(SecretKeyEnv, AccessKey);
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("s3"));
        // Port 0: s3rver binds a free port itself and prints it, so no other process can take it in between.
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("node")
            {
                ArgumentList = { script, "-d", dir.File("s3"), "-a", "127.0.0.1", "-p", "0", "--no-vhost-buckets", "--configure-bucket", Bucket },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        var server = new S3Server(process, dir);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException($"s3rver exited before listening:\n{server.Log}"));
        Assert.True(process.Start(), "node did not start");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var port = await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        server.Endpoint = $"http://127.0.0.1:{port}";
        return server;
    }

    /// <summary>The object keys stored in <see cref="Bucket"/> under <paramref name="prefix"/>, read from s3rver's folder.</summary>
    public IReadOnlyList<string> Keys(string prefix = "")
    {
        var bucket = Path.Combine(Root, Bucket);
        const string suffix = "._S3rver_object";
        return Directory.Exists(bucket)
            ? Directory.EnumerateFiles(bucket, "*" + suffix, SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(bucket, f)[..^suffix.Length].Replace(Path.DirectorySeparatorChar, '/'))
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Vigil.sln above {AppContext.BaseDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _dir.Dispose();
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
