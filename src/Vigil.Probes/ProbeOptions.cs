namespace Vigil.Probes;

/// <summary>Limits and paths shared by all probers. Validated when registered.</summary>
public sealed class ProbeOptions
{
    /// <summary>
    /// Folder that relative paths in checks resolve against (<c>client_cert</c> files, a command's
    /// <c>working_dir</c>); normally the folder of <c>vigil.yaml</c>. When empty, the process's
    /// current directory is used.
    /// </summary>
    public string? BaseDirectory { get; set; }

    /// <summary>How much of an HTTP or Prometheus response body is read for assertions (default 1 MiB).</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How much of a command's stdout and of its stderr is kept (default 64 KiB each).</summary>
    public int MaxCommandOutputBytes { get; set; } = 64 * 1024;

    /// <summary>After SIGTERM, how long a timed-out command may take to exit before its process group is killed.</summary>
    public TimeSpan KillGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a <c>body_regex</c> may run against one body before the probe gives up.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Throws when a limit is out of range, so a bad setting fails at startup rather than per probe.</summary>
    public void Validate()
    {
        if (MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "MaxBodyBytes must be between 1 KiB and 64 MiB.");
        }

        if (MaxCommandOutputBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCommandOutputBytes), MaxCommandOutputBytes, "MaxCommandOutputBytes must be between 1 KiB and 16 MiB.");
        }

        if (KillGrace < TimeSpan.Zero || KillGrace > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(KillGrace), KillGrace, "KillGrace must be between 0 and 1 minute.");
        }

        if (RegexTimeout <= TimeSpan.Zero || RegexTimeout > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(RegexTimeout), RegexTimeout, "RegexTimeout must be between 1 tick and 10 seconds.");
        }
    }

    internal string ResolvePath(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var baseDir = string.IsNullOrEmpty(BaseDirectory) ? Directory.GetCurrentDirectory() : BaseDirectory;
        return Path.GetFullPath(Path.Combine(baseDir, path));
    }
}
