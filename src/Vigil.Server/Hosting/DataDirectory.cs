namespace Vigil.Server.Hosting;

/// <summary>The data folder holds the store, tokens and run output: only the user running Vigil may enter it.</summary>
internal static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates the folder with mode 0700, or narrows an existing one to 0700. A shared sticky folder
    /// (such as /tmp given by mistake) is left alone rather than locked away from everyone else.
    /// </summary>
    public static void Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnly);
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0 && (mode & UnixFileMode.StickyBit) == 0)
        {
            try
            {
                File.SetUnixFileMode(path, mode & ~GroupOrOther);
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's folder: it stays as its owner set it; the files Vigil creates in it are still 0600.
            }
        }
    }
}
