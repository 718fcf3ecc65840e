using Vigil.Core.Config;
using Vigil.Probes.Processes;
using Vigil.Server.Hosting;

namespace Vigil.Server.Backups;

/// <summary>Builds the destination a job names: a local folder (default <c>backups/&lt;id&gt;</c> in the data folder), S3 or commands.</summary>
internal sealed class BackupDestinations(ServerInfo server, ProcessRunner processes, Func<string, string?> environment)
{
    public IBackupDestination For(BackupConfig job, string baseDirectory)
    {
        var d = job.Destination;
        if (d?.S3 is { } s3)
        {
            return new S3Destination(s3, job.Id, environment);
        }

        if (d?.Command is { } command)
        {
            var work = Path.Combine(server.DataDirectory, "backups", ".staging");
            Directory.CreateDirectory(work);
            return new CommandDestination(command, processes, work);
        }

        var folder = d?.Path is { } p
            ? (Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(server.DataDirectory, p)))
            : Path.Combine(server.DataDirectory, "backups", job.Id);
        return new LocalDestination(folder);
    }
}
