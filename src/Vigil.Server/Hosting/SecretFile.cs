namespace Vigil.Server.Hosting;

/// <summary>Files that hold secrets (the admin token, the heartbeat key): owner-only, written whole.</summary>
internal static class SecretFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> with mode 0600, through a
    /// temporary file and a rename so no reader ever sees a partial file. With
    /// <paramref name="overwrite"/> false, returns false when the file already exists.
    /// </summary>
    public static bool Write(string path, string content, bool overwrite)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        try
        {
            File.Move(temp, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }
}
