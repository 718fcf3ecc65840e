namespace Vigil.Server.Tests.Support;

/// <summary>A folder under the system temp dir, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("vigil-test-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies a (stopped) server's data folder, without its lock and pid files, so another server or command can use the copy.</summary>
    public static void CopyDataFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => System.IO.Path.GetFileName(f) is not ("vigil.lock" or "vigil.pid")))
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyDataFolder(sub, System.IO.Path.Combine(to, System.IO.Path.GetFileName(sub)));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
