using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Probes.Processes;
using Vigil.Server.Config;
using Vigil.Server.Hosting;
using Vigil.Server.Keys;

namespace Vigil.Server.Backups;

/// <summary>
/// Takes, verifies, restores and prunes backups. Each operation that changes state writes its store rows,
/// a job event and an audit entry in one transaction; the outcome is also handed to <see cref="BackupSignals"/>.
/// </summary>
internal sealed partial class BackupEngine(IVigilStore store, ConfigState config, ServerInfo server, BackupKeys keys, KeyService signingKeys, ProcessRunner processes,
    BackupDestinations destinations, BackupSignals signals, TimeProvider time, ILogger<BackupEngine> logger)
{
    /// <summary>The job id <c>vigil backup self</c> uses when the config has no <c>source: self</c> job.</summary>
    public const string SelfJob = "vigil-self";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);

    public string StagingDirectory => Path.Combine(server.DataDirectory, "backups", ".staging");

    public BackupConfig? FindJob(string id) => config.Current.Config.Backups.FirstOrDefault(b => b?.Id == id);

    /// <summary>The job <c>vigil backup self</c> runs: the configured <c>source: self</c> job, or a built-in one into <paramref name="to"/> (default <c>backups/vigil-self</c> in the data folder).</summary>
    public BackupConfig SelfJobFor(string? to)
    {
        var configured = config.Current.Config.Backups.FirstOrDefault(b => b?.Source == BackupSource.Self);
        if (configured is not null && to is null)
        {
            return configured;
        }

        return new BackupConfig
        {
            Id = configured?.Id ?? SelfJob,
            Source = BackupSource.Self,
            Cron = "@daily",
            Encryption = configured?.Encryption,
            Destination = new BackupDestinationConfig { Path = to ?? Path.Combine(server.DataDirectory, "backups", SelfJob) },
        };
    }

    public async Task<Outcome<BackupRecord>> RunAsync(string jobId, string actor, bool verify, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        if (FindJob(jobId) is not { } job)
        {
            return Refused.NotFound(UnknownJob(jobId));
        }

        return await RunJobAsync(job, actor, verify, progress, ct);
    }

    public async Task<Outcome<BackupRecord>> RunJobAsync(BackupConfig job, string actor, bool verify, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var gate = _running.GetOrAdd(job.Id, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, ct))
        {
            return Refused.Conflict($"backup job {job.Id} is running already; wait for it to end (vigil backup list {job.Id})");
        }

        try
        {
            var record = await TakeAsync(job, actor, progress, ct);
            if (record.Status == BackupStatus.Completed && verify)
            {
                var checkedRecord = await VerifyAsync(record.Id, actor, progress, ct);
                record = checkedRecord.Value is { } v ? (await GetAsync(v.BackupId, ct))! : record;
            }

            return record;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<BackupRecord> TakeAsync(BackupConfig job, string actor, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var cfg = config.Current.Config;
        var created = time.GetUtcNow();
        var id = $"{job.Id}-{created.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}";
        var destination = destinations.For(job, cfg.BaseDirectory);
        Directory.CreateDirectory(StagingDirectory);
        var artifact = Path.Combine(StagingDirectory, id + ".vbk");
        var manifestFile = Path.Combine(StagingDirectory, id + ".manifest.json");
        var copy = Path.Combine(StagingDirectory, id + ".db");
        BackupRecord record;
        try
        {
            var key = keys.EncryptionKey(job, cfg.BaseDirectory, out var keyError);
            if (keyError is not null)
            {
                throw new BackupSourceException(keyError);
            }

            var (kind, source) = Describe(job);
            int? files = null;
            HashingStream plain;
            string storedSha;
            long storedSize;
            await using (var file = new FileStream(artifact, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var stored = new HashingStream(file, leaveOpen: true);
                plain = new HashingStream(ArtifactCodec.Writer(stored, job.Compression, job.CompressionLevel, key), leaveOpen: false,
                    progress is null ? null : n => progress.Report(new BackupProgress("backup", n)));
                try
                {
                    if (job.Paths.Count > 0)
                    {
                        files = await PathsArchive.WriteAsync(plain, job.Paths, job.Exclude, cfg.BaseDirectory, ct);
                    }
                    else if (job.Command.Count > 0)
                    {
                        await RunCommandAsync(job, plain, cfg.BaseDirectory, ct);
                    }
                    else
                    {
                        await store.CopyToAsync(copy, ct);
                        await using var db = File.OpenRead(copy);
                        await db.CopyToAsync(plain, 1 << 20, ct);
                    }
                }
                catch
                {
                    // Close the layers while the file is still open. Left to the finalizer, the zstd
                    // layer closes the cipher layer, which writes its last chunk to a closed file and
                    // the exception on the finalizer thread ends the process.
                    await DiscardAsync(plain);
                    throw;
                }

                await plain.DisposeAsync();
                storedSha = stored.Sha256Hex;
                storedSize = stored.Count;
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            var manifest = new BackupManifest
            {
                Id = id,
                Job = job.Id,
                CreatedAt = created,
                SourceKind = kind,
                Source = source,
                Artifact = id + ".vbk",
                PlainSize = plain.Count,
                PlainSha256 = plain.Sha256Hex,
                StoredSize = storedSize,
                StoredSha256 = storedSha,
                Compression = job.Compression,
                Cipher = key is null ? ArtifactCodec.None : ChunkedCipher.Name,
                KeyId = key?.Id,
                Files = files,
            }.Signed(signingKeys);
            await File.WriteAllBytesAsync(manifestFile, manifest.ToJson(), ct);
            progress?.Report(new BackupProgress("upload", storedSize));
            // The artifact first, the manifest last: a manifest at the destination means its artifact is complete there.
            await destination.PutAsync(artifact, manifest.Artifact, ct);
            await destination.PutAsync(manifestFile, ManifestName(id), ct);
            record = new BackupRecord(id, job.Id, created, BackupStatus.Completed, destination.Description, manifest, null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is BackupSourceException or BackupDestinationException or IOException or UnauthorizedAccessException
            or StoreUnavailableException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            LogBackupFailed(logger, job.Id, ex.Message);
            record = new BackupRecord(id, job.Id, created, BackupStatus.Failed, destination.Description, null, ex.Message);
        }
        finally
        {
            File.Delete(artifact);
            File.Delete(manifestFile);
            File.Delete(copy);
        }

        var ok = record.Status == BackupStatus.Completed;
        await store.WriteAsync(async (s, c) =>
        {
            await s.Backups.InsertAsync(record, c);
            await s.Backups.AddEventAsync(new BackupEvent(0, job.Id, id, BackupEvent.Run, s.Now, ok,
                ok ? $"stored {Size(record.Manifest!.StoredSize)} ({Size(record.Manifest.PlainSize)} before compression) at {record.Destination}" : record.Error!), c);
            await s.Audit.AppendAsync(new AuditDraft(actor, ok ? "backup.run" : "backup.failed", "backup/" + id, ok ? null : record.Error, null,
                JsonSerializer.Serialize(new { job = job.Id, status = ok ? "completed" : "failed", destination = record.Destination, record.Manifest?.StoredSize, record.Manifest?.StoredSha256 }, Json)), c);
            return 0;
        }, ct);
        await signals.ReportAsync(job, BackupEvent.Run, ok ? null : $"backup {id} of job {job.Id} failed: {record.Error}", ct);
        return record;
    }

    private async Task RunCommandAsync(BackupConfig job, Stream plain, string baseDirectory, CancellationToken ct)
    {
        Exception? writeError = null;
        var spec = new ProcessSpec(job.Command[0], job.Command.Skip(1), null, baseDirectory, job.Timeout)
        {
            MaxOutputBytes = 4096,
            OnStdout = chunk =>
            {
                if (writeError is not null)
                {
                    return;
                }

                try
                {
                    plain.Write(chunk.Span);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException)
                {
                    writeError = ex;
                }
            },
        };
        var result = await processes.RunAsync(spec, ct);
        if (writeError is not null)
        {
            throw new BackupSourceException($"writing the backup of {spec.Display} failed: {writeError.Message}");
        }

        if (!result.Succeeded)
        {
            throw new BackupSourceException($"the backup command {spec.Display} failed ({CommandDestination.Why(result)}); the partial stream was discarded");
        }
    }

    public async Task<Outcome<VerifyResult>> VerifyAsync(string backupId, string actor, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var record = await GetAsync(backupId, ct);
        if (record is null)
        {
            return Refused.NotFound($"backup {backupId} (see vigil backup list)");
        }

        if (record.Status != BackupStatus.Completed || record.Manifest is null)
        {
            return Refused.Conflict($"backup {backupId} is {(record.Status == BackupStatus.Failed ? "a failed attempt" : "pruned")}: there is nothing to verify");
        }

        var job = FindJob(record.Job) ?? (record.Manifest.SourceKind == "self" ? SelfJobFor(null) : null);
        var problems = new List<string>();
        long plainBytes = 0;
        if (job is null)
        {
            problems.Add($"job {record.Job} is no longer configured, so its destination and key are unknown; add the job back to verify its backups");
        }
        else
        {
            plainBytes = await CheckAsync(job, record, problems, progress, ct);
        }

        var ok = problems.Count == 0;
        var reason = ok ? null : string.Join("; ", problems);
        await store.WriteAsync(async (s, c) =>
        {
            await s.Backups.UpdateAsync(record with { VerifiedAt = s.Now, VerifyOk = ok, VerifyError = reason }, c);
            await s.Backups.AddEventAsync(new BackupEvent(0, record.Job, record.Id, BackupEvent.Verify, s.Now, ok, reason ?? $"checksums, signature and decryption of {Size(plainBytes)} passed"), c);
            await s.Audit.AppendAsync(new AuditDraft(actor, ok ? "backup.verified" : "backup.verify_failed", "backup/" + record.Id, reason), c);
            return 0;
        }, ct);
        if (job is not null)
        {
            await signals.ReportAsync(job, BackupEvent.Verify, ok ? null : $"verification of backup {record.Id} failed: {reason}", ct);
        }

        return new VerifyResult(record.Id, ok, problems, plainBytes);
    }

    /// <summary>Reads the manifest and the artifact back from the destination; adds every problem found.</summary>
    private async Task<long> CheckAsync(BackupConfig job, BackupRecord record, List<string> problems, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var cfg = config.Current.Config;
        var destination = destinations.For(job, cfg.BaseDirectory);
        var recorded = record.Manifest!;
        var manifest = recorded;
        await using (var m = await destination.OpenAsync(ManifestName(record.Id), ct))
        {
            if (m is null)
            {
                problems.Add($"the manifest {ManifestName(record.Id)} is missing at {destination.Description}: the artifact cannot be trusted without it (restore it, or take a new backup)");
            }
            else
            {
                using var buffer = new MemoryStream();
                await m.CopyToAsync(buffer, ct);
                var parsed = BackupManifest.TryParse(buffer.ToArray(), out var parseError);
                if (parsed is null)
                {
                    problems.Add($"the manifest {ManifestName(record.Id)} at {destination.Description} is unreadable: {parseError}");
                }
                else if (parsed.VerifySignature(signingKeys.Ring) is { } badSignature)
                {
                    problems.Add(badSignature);
                }
                else if (parsed.StoredSha256 != recorded.StoredSha256 || parsed.PlainSha256 != recorded.PlainSha256 || parsed.Id != recorded.Id)
                {
                    problems.Add($"the manifest at {destination.Description} is not the one Vigil recorded for {record.Id} (its checksums differ)");
                }
                else
                {
                    manifest = parsed;
                }
            }
        }

        var key = keys.EncryptionKey(job, cfg.BaseDirectory, out var keyError);
        if (keyError is not null && manifest.Cipher != ArtifactCodec.None)
        {
            problems.Add(keyError);
            return 0;
        }

        await using var artifact = await destination.OpenAsync(manifest.Artifact, ct);
        if (artifact is null)
        {
            problems.Add($"the artifact {manifest.Artifact} is missing at {destination.Description}");
            return 0;
        }

        var stored = new HashingStream(artifact, leaveOpen: true, progress is null ? null : n => progress.Report(new BackupProgress("verify", n)));
        long plainCount = 0;
        string? decodeProblem = null;
        string? plainSha = null;
        try
        {
            await using var reader = ArtifactCodec.Reader(stored, manifest.Compression, manifest.Cipher, key);
            var plain = new HashingStream(reader, leaveOpen: true);
            await plain.CopyToAsync(Stream.Null, 1 << 20, ct);
            plainCount = plain.Count;
            plainSha = plain.Sha256Hex;
        }
        catch (BackupIntegrityException ex)
        {
            decodeProblem = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not IOException)
        {
            decodeProblem = $"the artifact could not be decompressed ({ex.Message}): it is damaged";
        }

        // Read what the decoder left (after a failure, or zstd's end) so the stored checksum covers every byte.
        await stored.CopyToAsync(Stream.Null, 1 << 20, ct);
        if (stored.Sha256Hex != manifest.StoredSha256 || stored.Count != manifest.StoredSize)
        {
            problems.Add($"stored bytes do not match the manifest: SHA-256 {stored.Sha256Hex[..16]}… over {stored.Count} bytes, the manifest says {manifest.StoredSha256[..16]}… over {manifest.StoredSize}: the artifact was changed or damaged after it was written");
        }

        if (decodeProblem is not null)
        {
            problems.Add(decodeProblem);
        }
        else if (plainSha != manifest.PlainSha256 || plainCount != manifest.PlainSize)
        {
            problems.Add($"the restored plaintext does not match the manifest (SHA-256 {plainSha?[..16]}… over {plainCount} bytes, expected {manifest.PlainSha256[..16]}… over {manifest.PlainSize})");
        }

        return plainCount;
    }

    public async Task<Outcome<RestoreResult>> RestoreAsync(string backupId, string to, bool dryRun, IReadOnlyList<string> only, string actor,
        IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        var record = await GetAsync(backupId, ct);
        if (record is null)
        {
            return Refused.NotFound($"backup {backupId} (see vigil backup list)");
        }

        if (record.Status != BackupStatus.Completed || record.Manifest is not { } manifest)
        {
            return Refused.Conflict($"backup {backupId} is {(record.Status == BackupStatus.Failed ? "a failed attempt" : "pruned")}: there is nothing to restore");
        }

        if (manifest.SourceKind != "paths" && only.Count > 0)
        {
            return Refused.Conflict($"--only picks files from a paths backup; {backupId} is a single {manifest.SourceKind} stream, restore it whole");
        }

        var target = Path.GetFullPath(to);
        if (!dryRun && Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            return Refused.Conflict($"{target} is not empty; restore into a new or empty folder, so nothing there is overwritten");
        }

        var job = FindJob(record.Job) ?? (manifest.SourceKind == "self" ? SelfJobFor(null) : null);
        if (job is null)
        {
            return Refused.Conflict($"job {record.Job} is no longer configured, so its destination and key are unknown; add the job back to restore its backups");
        }

        var cfg = config.Current.Config;
        var key = keys.EncryptionKey(job, cfg.BaseDirectory, out var keyError);
        if (keyError is not null && manifest.Cipher != ArtifactCodec.None)
        {
            return Refused.Conflict(keyError);
        }

        var destination = destinations.For(job, cfg.BaseDirectory);
        List<(string Name, long Size)> files;
        try
        {
            await using var artifact = await destination.OpenAsync(manifest.Artifact, ct)
                ?? throw new BackupDestinationException($"the artifact {manifest.Artifact} is missing at {destination.Description}");
            await using var reader = ArtifactCodec.Reader(artifact, manifest.Compression, manifest.Cipher, key);
            var plain = new HashingStream(reader, leaveOpen: true, progress is null ? null : n => progress.Report(new BackupProgress("restore", n)));
            if (!dryRun)
            {
                Directory.CreateDirectory(target);
            }

            if (manifest.SourceKind == "paths")
            {
                files = await PathsArchive.ExtractAsync(plain, target, only, dryRun, ct);
                await plain.CopyToAsync(Stream.Null, ct);
            }
            else
            {
                var name = StreamFileName(manifest);
                if (!dryRun)
                {
                    await using var output = new FileStream(Path.Combine(target, name), FileMode.CreateNew, FileAccess.Write);
                    await plain.CopyToAsync(output, 1 << 20, ct);
                }
                else
                {
                    await plain.CopyToAsync(Stream.Null, 1 << 20, ct);
                }

                files = [(name, manifest.PlainSize)];
            }

            if (plain.Sha256Hex != manifest.PlainSha256)
            {
                throw new BackupIntegrityException($"the restored stream's SHA-256 does not match the manifest; the restore in {target} is not the backup");
            }
        }
        catch (Exception ex) when (ex is BackupIntegrityException or BackupDestinationException or BackupSourceException or IOException)
        {
            await RecordRestoreAsync(record, actor, target, dryRun, ok: false, ex.Message, ct);
            return Refused.Conflict($"restore of {backupId} failed: {ex.Message}" + (dryRun ? string.Empty : $"; what was written to {target} is incomplete"));
        }

        var result = new RestoreResult(record.Id, target, dryRun, files, files.Sum(f => f.Size));
        await RecordRestoreAsync(record, actor, target, dryRun, ok: true, $"{files.Count} files, {Size(result.Bytes)}", ct);
        return result;
    }

    private Task RecordRestoreAsync(BackupRecord record, string actor, string target, bool dryRun, bool ok, string detail, CancellationToken ct) =>
        store.WriteAsync(async (s, c) =>
        {
            await s.Backups.AddEventAsync(new BackupEvent(0, record.Job, record.Id, BackupEvent.Restore, s.Now, ok, $"{(dryRun ? "dry run " : string.Empty)}to {target}: {detail}"), c);
            await s.Audit.AppendAsync(new AuditDraft(actor, dryRun ? "backup.restore_planned" : ok ? "backup.restored" : "backup.restore_failed", "backup/" + record.Id, ok ? null : detail, null,
                JsonSerializer.Serialize(new { to = target, dry_run = dryRun, detail }, Json)), c);
            return 0;
        }, ct);

    public async Task<Outcome<PruneResult>> PruneAsync(string jobId, bool dryRun, string actor, CancellationToken ct)
    {
        if (FindJob(jobId) is not { } job)
        {
            return Refused.NotFound(UnknownJob(jobId));
        }

        var backups = await store.ReadAsync((s, c) => s.Backups.ListAsync(job.Id, includePruned: false, limit: 100_000, c), ct);
        var stored = backups.Where(b => b.Status == BackupStatus.Completed).ToList();
        var now = time.GetUtcNow();
        var plan = BackupRetention.Plan(stored.Select(b => new RetentionItem(b.Id, b.CreatedAt)).ToList(), job.Keep, TimeZoneInfo.FindSystemTimeZoneById(job.Timezone), now);
        var problems = new List<string>();
        if (dryRun)
        {
            return new PruneResult(job.Id, true, plan, problems);
        }

        var destination = destinations.For(job, config.Current.Config.BaseDirectory);
        var pruned = new List<BackupRecord>();
        foreach (var decision in plan.Where(d => !d.Keep))
        {
            var record = stored.First(b => b.Id == decision.Id);
            try
            {
                await destination.DeleteAsync(record.Manifest?.Artifact ?? record.Id + ".vbk", ct);
                await destination.DeleteAsync(ManifestName(record.Id), ct);
                pruned.Add(record with { Status = BackupStatus.Pruned, PrunedAt = now });
            }
            catch (Exception ex) when (ex is BackupDestinationException or IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException)
            {
                problems.Add($"{record.Id}: {ex.Message}");
            }
        }

        if (pruned.Count > 0 || problems.Count > 0)
        {
            await store.WriteAsync(async (s, c) =>
            {
                foreach (var p in pruned)
                {
                    await s.Backups.UpdateAsync(p with { PrunedAt = s.Now }, c);
                }

                var detail = $"pruned {pruned.Count} of {stored.Count} ({string.Join(", ", pruned.Select(p => p.Id))})" + (problems.Count > 0 ? "; failed: " + string.Join("; ", problems) : string.Empty);
                await s.Backups.AddEventAsync(new BackupEvent(0, job.Id, null, BackupEvent.Prune, s.Now, problems.Count == 0, detail), c);
                await s.Audit.AppendAsync(new AuditDraft(actor, "backup.pruned", "backup-job/" + job.Id, null, null,
                    JsonSerializer.Serialize(new { pruned = pruned.Select(p => p.Id), kept = plan.Where(d => d.Keep).Select(d => d.Id), problems }, Json)), c);
                return 0;
            }, ct);
        }

        return new PruneResult(job.Id, false, plan, problems);
    }

    public Task<BackupRecord?> GetAsync(string id, CancellationToken ct) => store.ReadAsync((s, c) => s.Backups.GetAsync(id, c), ct);

    public static string ManifestName(string backupId) => backupId + ".manifest.json";

    /// <summary>The file a stream backup restores to: <c>&lt;job&gt;.out</c>, or <c>vigil.db</c> for Vigil's own database.</summary>
    public static string StreamFileName(BackupManifest manifest) => manifest.SourceKind == "self" ? "vigil.db" : manifest.Job + ".out";

    private string UnknownJob(string id)
    {
        var jobs = config.Current.Config.Backups.Select(b => b.Id).ToList();
        return $"backup job {id}" + (jobs.Count == 0 ? "; the config defines no backups: jobs" : "; jobs are " + string.Join(", ", jobs));
    }

    private static (string Kind, string Source) Describe(BackupConfig job) =>
        job.Paths.Count > 0 ? ("paths", string.Join(", ", job.Paths) + (job.Exclude.Count > 0 ? " (excluding " + string.Join(", ", job.Exclude) + ")" : string.Empty))
        : job.Command.Count > 0 ? ("command", string.Join(' ', job.Command))
        : ("self", "Vigil's database");

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.#} KiB",
        < 1 << 30 => $"{bytes / (double)(1 << 20):0.#} MiB",
        _ => $"{bytes / (double)(1 << 30):0.##} GiB",
    };

    /// <summary>Disposes the layers of an artifact being abandoned; what they fail to write no longer matters.</summary>
    private static async Task DiscardAsync(Stream layers)
    {
        try
        {
            await layers.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup job {Job} failed: {Error}")]
    private static partial void LogBackupFailed(ILogger logger, string job, string error);
}
