using Vigil.Core.Config;
using Vigil.Probes.Processes;

namespace Vigil.Server.Backups;

/// <summary>A destination reached through programs (rclone, azcopy): put, get (to stdout) and delete argv with <c>{file}</c> and <c>{name}</c>.</summary>
internal sealed class CommandDestination(BackupCommandDestinationConfig config, ProcessRunner processes, string workingDirectory) : IBackupDestination
{
    public string Description => "command:" + string.Join(' ', config.Put);

    public async Task PutAsync(string localFile, string name, CancellationToken ct)
    {
        var result = await processes.RunAsync(Spec(config.Put, localFile, name), ct);
        if (!result.Succeeded)
        {
            throw new BackupDestinationException($"the destination's put command {Spec(config.Put, localFile, name).Display} failed ({Why(result)})");
        }
    }

    public async Task<bool> GetAsync(string name, string localFile, CancellationToken ct)
    {
        if (config.Get.Count == 0)
        {
            throw new BackupDestinationException("this job's command destination has no `get:` command, so Vigil cannot read backups back to verify or restore them; add `get:`");
        }

        var write = new FileStream(localFile, FileMode.Create, FileAccess.Write);
        Exception? writeError = null;
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(Spec(config.Get, localFile, name) with
            {
                MaxOutputBytes = 4096,
                OnStdout = chunk =>
                {
                    try
                    {
                        write.Write(chunk.Span);
                    }
                    catch (IOException ex)
                    {
                        writeError ??= ex;
                    }
                },
            }, ct);
        }
        finally
        {
            await write.DisposeAsync();
        }

        if (writeError is not null)
        {
            throw new BackupDestinationException($"could not write {localFile}: {writeError.Message}");
        }

        return result.Succeeded;
    }

    public async Task<Stream?> OpenAsync(string name, CancellationToken ct)
    {
        var temp = Path.Combine(workingDirectory, "get-" + Guid.NewGuid().ToString("N"));
        if (!await GetAsync(name, temp, ct))
        {
            File.Delete(temp);
            return null;
        }

        return new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        if (config.Delete.Count == 0)
        {
            return false;
        }

        var result = await processes.RunAsync(Spec(config.Delete, string.Empty, name), ct);
        return result.Succeeded ? true : throw new BackupDestinationException($"the destination's delete command failed ({Why(result)})");
    }

    private ProcessSpec Spec(IReadOnlyList<string> argv, string file, string name)
    {
        var args = argv.Select(a => a.Replace("{file}", file, StringComparison.Ordinal).Replace("{name}", name, StringComparison.Ordinal)).ToList();
        return new ProcessSpec(args[0], args.Skip(1), null, workingDirectory, config.Timeout);
    }

    internal static string Why(ProcessResult r) => r.Outcome switch
    {
        ProcessOutcome.FailedToStart => r.Error ?? "did not start",
        ProcessOutcome.Exited => $"exit code {r.ExitCode}: {r.Stderr.Text.Trim()}",
        _ => $"{r.Outcome}: {r.Stderr.Text.Trim()}",
    };
}
