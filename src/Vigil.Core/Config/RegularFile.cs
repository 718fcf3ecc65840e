using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Core.Config;

/// <summary>
/// Reads the text files Vigil is pointed at (config files and includes, runbooks): regular files
/// only, never more than a cap. The file type is checked with <c>stat</c> (following symlinks)
/// before the file is opened, because opening a FIFO blocks until a writer appears and a device
/// such as <c>/dev/zero</c> never ends; the read itself stops one byte past the cap, whatever the
/// size the file system reported.
/// </summary>
public static class RegularFile
{
    private const int StatxType = 0x1;
    private const int AtFdCwd = -100;
    private const int EnoEnt = 2;

    /// <summary>What kind of file a path names, after following symlinks.</summary>
    public enum Kind
    {
        Missing,
        Regular,
        Directory,
        Fifo,
        CharacterDevice,
        BlockDevice,
        Socket,
        Other,
    }

    /// <summary>The kind of file at <paramref name="fullPath"/> (symlinks followed), without opening it.</summary>
    public static Kind KindOf(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                var mode = StatMode(fullPath, out var errno);
                if (mode is { } m)
                {
                    return (m & 0xF000) switch
                    {
                        0x8000 => Kind.Regular,
                        0x4000 => Kind.Directory,
                        0x1000 => Kind.Fifo,
                        0x2000 => Kind.CharacterDevice,
                        0x6000 => Kind.BlockDevice,
                        0xC000 => Kind.Socket,
                        _ => Kind.Other,
                    };
                }

                if (errno == EnoEnt)
                {
                    return Kind.Missing;
                }
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                // An unusual libc: fall through to what .NET can tell.
            }
        }

        if (Directory.Exists(fullPath))
        {
            return Kind.Directory;
        }

        if (!File.Exists(fullPath))
        {
            return Kind.Missing;
        }

        return (File.GetAttributes(fullPath) & FileAttributes.Device) != 0 ? Kind.CharacterDevice : Kind.Regular;
    }

    /// <summary>Words for a kind, for messages: "a FIFO (named pipe)".</summary>
    public static string Describe(Kind kind) => kind switch
    {
        Kind.Directory => "a directory",
        Kind.Fifo => "a FIFO (named pipe)",
        Kind.CharacterDevice => "a character device",
        Kind.BlockDevice => "a block device",
        Kind.Socket => "a socket",
        Kind.Missing => "missing",
        Kind.Regular => "a regular file",
        _ => "not a regular file",
    };

    /// <summary>
    /// Reads a regular file of at most <paramref name="maxBytes"/> bytes as text (UTF-8 unless a byte
    /// order mark says otherwise). On failure, <paramref name="problem"/> completes the sentence
    /// "`name` ..." (for example "is a FIFO (named pipe), not a regular file; ...").
    /// </summary>
    public static bool TryReadText(string fullPath, long maxBytes, out string text, out string problem, out Kind kind)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        text = string.Empty;
        problem = string.Empty;
        kind = KindOf(fullPath);
        if (kind == Kind.Missing)
        {
            problem = "does not exist";
            return false;
        }

        if (kind != Kind.Regular)
        {
            problem = $"is {Describe(kind)}, not a regular file; only regular files are read (point to a regular file instead)";
            return false;
        }

        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            long total = 0;
            int read;
            while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - total))) > 0)
            {
                buffer.Write(chunk, 0, read);
                total += read;
                if (total > maxBytes)
                {
                    problem = $"is larger than {FormatBytes(maxBytes)}, the limit for this kind of file; split it into smaller files";
                    return false;
                }
            }

            buffer.Position = 0;
            using var reader = new StreamReader(buffer, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read: {ex.Message}";
            return false;
        }
    }

    /// <summary>"4 MiB", "512 KiB" or "100 bytes".</summary>
    public static string FormatBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB"
        : $"{bytes} bytes";

    /// <summary>
    /// The path with every symlink and <c>..</c> resolved (<c>realpath</c>). For a path that does not
    /// exist, its folder is resolved and the name appended; where nothing resolves, the full path.
    /// </summary>
    public static string RealPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Resolve(full) is { } real)
        {
            return real;
        }

        var folder = System.IO.Path.GetDirectoryName(full);
        return folder is not null && folder != full && Resolve(folder) is { } realFolder
            ? System.IO.Path.Combine(realFolder, System.IO.Path.GetFileName(full))
            : full;
    }

    private static string? Resolve(string full)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                var buffer = new byte[4096];
                if (Native.RealPath(Encoding.UTF8.GetBytes(full + "\0"), buffer) == IntPtr.Zero)
                {
                    return null;
                }

                var end = Array.IndexOf(buffer, (byte)0);
                return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                // Fall through.
            }
        }

        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return null;
        }

        return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
    }

    private static int? StatMode(string path, out int errno)
    {
        var utf8 = Encoding.UTF8.GetBytes(path + "\0");
        var buffer = new byte[512];
        int rc;
        int offset;
        if (OperatingSystem.IsLinux())
        {
            // struct statx has the same layout on every Linux architecture; stx_mode is a u16 at byte 28.
            rc = Native.Statx(AtFdCwd, utf8, 0, StatxType, buffer);
            offset = 28;
        }
        else
        {
            // 64-bit-inode struct stat on macOS: dev_t (4 bytes), then mode_t (u16).
            rc = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? Native.StatInode64(utf8, buffer) : Native.Stat(utf8, buffer);
            offset = 4;
        }

        if (rc != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return BitConverter.ToUInt16(buffer, offset);
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int dirfd, byte[] path, int flags, int mask, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr RealPath(byte[] path, [Out] byte[] resolved);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Stat(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int StatInode64(byte[] path, [Out] byte[] buffer);
    }
}
