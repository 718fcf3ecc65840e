using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Bench;

/// <summary>
/// Backup and restore throughput of a paths job with zstd (level 3) and AES-256-GCM, through the real
/// <c>vigil serve</c> and its API, against <c>tar | zstd -3 | openssl enc -aes-256-ctr</c> on the same data in
/// the same run (openssl's command line has no GCM for streams; CTR is the closest unauthenticated cipher).
/// The data is half text-like (logs, compressible) and half random (already-compressed media, incompressible).
/// </summary>
internal static class BackupBench
{
    private const int FileBytes = 4 << 20;

    public static async Task<int> RunAsync(int megabytes, int rounds)
    {
        if (megabytes < 8 || rounds < 1)
        {
            Console.Error.WriteLine("backup: --size must be at least 8 (MB) and --rounds at least 1");
            return 2;
        }

        foreach (var tool in new[] { "/usr/bin/tar", "/usr/bin/zstd", "/usr/bin/openssl" })
        {
            if (!File.Exists(tool))
            {
                Console.Error.WriteLine($"backup: {tool} is missing; the baseline needs tar, zstd and openssl (apt-get install -y tar zstd openssl)");
                return 2;
            }
        }

        var dir = Directory.CreateTempSubdirectory("vigil-bench-backup-").FullName;
        try
        {
            var data = Path.Combine(dir, "data");
            var bytes = WriteData(data, (long)megabytes << 20);
            await File.WriteAllTextAsync(Path.Combine(dir, "backup.key"), Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            await File.WriteAllTextAsync(Path.Combine(dir, "vigil.yaml"), """
                vigil: { name: bench-backup, environment: dev }
                services:
                  - { id: files }
                backups:
                  - id: data
                    service: files
                    paths: [data]
                    cron: "0 3 * * *"
                    paused: true
                    encryption: { key_file: backup.key }
                """);

            await using var vigil = await VigilChild.StartAsync(Path.Combine(dir, "vigil.yaml"), Path.Combine(dir, "vigil-data"));
            using var http = new HttpClient { BaseAddress = new Uri(vigil.Address), Timeout = TimeSpan.FromHours(1) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", vigil.AdminToken);

            Console.WriteLine($"backup: {bytes / 1e6:F0} MB in {Directory.GetFiles(data).Length} files (half text-like, half random), {rounds} round(s), {Environment.ProcessorCount} cores");
            Console.WriteLine("round  tool              backup MB/s  restore MB/s  stored MB");
            var vigilRates = new List<(double Backup, double Restore)>();
            var baseRates = new List<(double Backup, double Restore)>();
            for (var round = 1; round <= rounds; round++)
            {
                var (vb, vr, vs) = await VigilRoundAsync(http, vigil, dir, bytes, round);
                vigilRates.Add((vb, vr));
                Console.WriteLine($"{round,5}  {"vigil",-16}  {vb,11:F1}  {vr,12:F1}  {vs / 1e6,9:F0}");
                var (bb, br, bs) = await BaselineRoundAsync(dir, bytes, round);
                baseRates.Add((bb, br));
                Console.WriteLine($"{round,5}  {"tar|zstd|openssl",-16}  {bb,11:F1}  {br,12:F1}  {bs / 1e6,9:F0}");
            }

            Console.WriteLine($"median vigil: backup {Median(vigilRates.Select(r => r.Backup)):F1} MB/s, restore {Median(vigilRates.Select(r => r.Restore)):F1} MB/s; "
                + $"tar|zstd|openssl: backup {Median(baseRates.Select(r => r.Backup)):F1} MB/s, restore {Median(baseRates.Select(r => r.Restore)):F1} MB/s "
                + "(MB/s of source data; backup without its read-back verification)");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(double Backup, double Restore, long Stored)> VigilRoundAsync(HttpClient http, VigilChild vigil, string dir, long bytes, int round)
    {
        var clock = Stopwatch.StartNew();
        using var run = await http.PostAsJsonAsync("/api/v1/backup-jobs/data/runs", new { verify = false });
        var body = await run.Content.ReadAsStringAsync();
        var backupSeconds = clock.Elapsed.TotalSeconds;
        if (!run.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"backup run failed: {(int)run.StatusCode} {body}");
        }

        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var stored = Directory.GetFiles(Path.Combine(vigil.DataDirectory, "backups", "data"), id + ".vbk").Sum(f => new FileInfo(f).Length);

        var to = Path.Combine(dir, $"vigil-restore-{round}");
        clock.Restart();
        using var restore = await http.PostAsJsonAsync($"/api/v1/backups/{id}/restore", new { to });
        var restoreBody = await restore.Content.ReadAsStringAsync();
        var restoreSeconds = clock.Elapsed.TotalSeconds;
        if (!restore.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"restore failed: {(int)restore.StatusCode} {restoreBody}");
        }

        Directory.Delete(to, recursive: true);
        return (bytes / 1e6 / backupSeconds, bytes / 1e6 / restoreSeconds, stored);
    }

    private static async Task<(double Backup, double Restore, long Stored)> BaselineRoundAsync(string dir, long bytes, int round)
    {
        var artifact = Path.Combine(dir, $"baseline-{round}.tar.zst.enc");
        var to = Path.Combine(dir, $"baseline-restore-{round}");
        Directory.CreateDirectory(to);
        var backupSeconds = await ShellAsync(dir, "tar -C \"$DIR\" -cf - data | zstd -3 -q -T1 | openssl enc -aes-256-ctr -pbkdf2 -pass file:\"$DIR/backup.key\" -out \"$OUT\"", artifact, to);
        var stored = new FileInfo(artifact).Length;
        var restoreSeconds = await ShellAsync(dir, "openssl enc -d -aes-256-ctr -pbkdf2 -pass file:\"$DIR/backup.key\" -in \"$OUT\" | zstd -d -q | tar -C \"$TO\" -xf -", artifact, to);
        File.Delete(artifact);
        Directory.Delete(to, recursive: true);
        return (bytes / 1e6 / backupSeconds, bytes / 1e6 / restoreSeconds, stored);
    }

    /// <summary>Runs a pipeline under bash with pipefail; paths reach it as environment variables.</summary>
    private static async Task<double> ShellAsync(string dir, string script, string artifact, string to)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -o pipefail; " + script);
        psi.Environment["DIR"] = dir;
        psi.Environment["OUT"] = artifact;
        psi.Environment["TO"] = to;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"baseline failed ({process.ExitCode}): {errors}");
        }

        return seconds;
    }

    /// <summary>Writes the data set: 4 MiB files alternating text-like and random, seeded so every run is alike.</summary>
    private static long WriteData(string folder, long total)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(42);
        var buffer = new byte[FileBytes];
        long written = 0;
        for (var i = 0; written < total; i++)
        {
            var size = (int)Math.Min(FileBytes, total - written);
            if (i % 2 == 0)
            {
                FillText(buffer, size, random);
            }
            else
            {
                random.NextBytes(buffer.AsSpan(0, size));
            }

            File.WriteAllBytes(Path.Combine(folder, $"f{i:D5}.{(i % 2 == 0 ? "log" : "bin")}"), buffer.AsSpan(0, size).ToArray());
            written += size;
        }

        return written;
    }

    private static void FillText(byte[] buffer, int size, Random random)
    {
        var levels = new[] { "INFO", "WARN", "DEBUG", "ERROR" };
        var paths = new[] { "/api/v1/orders", "/api/v1/users", "/healthz", "/static/app.js", "/api/v1/checkout" };
        var offset = 0;
        var line = new StringBuilder();
        while (offset < size)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"2026-12-07T{random.Next(24):D2}:{random.Next(60):D2}:{random.Next(60):D2}.{random.Next(1000):D3}Z ")
                .Append(levels[random.Next(levels.Length)]).Append(" req=").Append(random.Next(1_000_000).ToString("x6", CultureInfo.InvariantCulture))
                .Append(" GET ").Append(paths[random.Next(paths.Length)]).Append(CultureInfo.InvariantCulture, $" {(random.Next(20) == 0 ? 500 : 200)} {random.Next(1, 900)}ms\n");
            var encoded = Encoding.ASCII.GetBytes(line.ToString());
            var n = Math.Min(encoded.Length, size - offset);
            encoded.AsSpan(0, n).CopyTo(buffer.AsSpan(offset));
            offset += n;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
