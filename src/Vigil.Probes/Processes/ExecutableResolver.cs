namespace Vigil.Probes.Processes;

/// <summary>Finds the program before starting it, so "not found" is a clear error rather than an exit code from a wrapper.</summary>
internal static class ExecutableResolver
{
    public static string? Resolve(ProcessSpec spec, out string? error)
    {
        error = null;
        var name = spec.FileName;
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(name) ? name : Path.GetFullPath(Path.Combine(spec.WorkingDirectory ?? Directory.GetCurrentDirectory(), name));
            return Check(path, name, ref error);
        }

        var pathVar = spec.Environment.TryGetValue("PATH", out var p) ? p : Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in pathVar.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        error = $"`{name}` was not found on PATH";
        return null;
    }

    private static string? Check(string path, string name, ref string? error)
    {
        if (!File.Exists(path))
        {
            error = Directory.Exists(path) ? $"`{name}` is a directory, not a program" : $"`{name}` does not exist";
            return null;
        }

        if (!IsExecutable(path))
        {
            error = $"`{name}` is not executable (chmod +x it)";
            return null;
        }

        return path;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
