namespace Vigil.Server.Backups;

/// <summary>A local folder (created 0700). Files are written beside their final name and renamed into place.</summary>
internal sealed class LocalDestination(string folder) : IBackupDestination
{
    public string Description => "local:" + folder;

    public string Folder => folder;

    public Task PutAsync(string localFile, string name, CancellationToken ct)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var target = Path.Combine(folder, name);
        var temp = target + ".partial";
        File.Copy(localFile, temp, overwrite: true);
        using (var f = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Flush(flushToDisk: true);
        }

        File.Move(temp, target, overwrite: true);
        return Task.CompletedTask;
    }

    public async Task<bool> GetAsync(string name, string localFile, CancellationToken ct)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return false;
        }

        await using var source = File.OpenRead(path);
        await using var target = File.Create(localFile);
        await source.CopyToAsync(target, ct);
        return true;
    }

    public Task<Stream?> OpenAsync(string name, CancellationToken ct)
    {
        var path = Path.Combine(folder, name);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16) : null);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        File.Delete(Path.Combine(folder, name));
        return Task.FromResult(true);
    }
}
