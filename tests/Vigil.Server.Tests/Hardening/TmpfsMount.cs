using System.Diagnostics;

namespace Vigil.Server.Tests.Hardening;

/// <summary>
/// A real, tiny tmpfs mounted on a test folder, so a store can run out of space or be made read-only
/// for real (ENOSPC and EROFS from the kernel, not a simulated exception). Needs the right to mount,
/// which CI and the developer machines here have (root); unmounted lazily on dispose.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler.bin");

    public static TmpfsMount Create(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Writes a filler file until the kernel says the disk is full.</summary>
    public void Fill()
    {
        using var stream = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(chunk);
            }
        }
        catch (IOException)
        {
        }

        // What is left below one chunk.
        try
        {
            while (true)
            {
                stream.Write(chunk, 0, 512);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Gives the space back.</summary>
    public void Free() => File.Delete(Filler);

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to clean up.
        }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Trim()}. These tests need the right to mount a tmpfs (run them as root, as CI does).");
        }
    }
}
