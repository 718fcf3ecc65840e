namespace Vigil.Server.Demo;

/// <summary>The demo's files (config, runbooks), embedded from <c>examples/demo/</c> at build time.</summary>
public static class DemoFiles
{
    private const string Prefix = "demo/";

    /// <summary>Writes the embedded demo files under <paramref name="directory"/>; returns the config path.</summary>
    public static string ExtractTo(string directory)
    {
        var assembly = typeof(DemoFiles).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            // RecursiveDir uses the build machine's separator; normalize both kinds.
            var relative = name[Prefix.Length..].Replace('\\', '/');
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var source = assembly.GetManifestResourceStream(name)!;
            using var target = File.Create(path);
            source.CopyTo(target);
        }

        var config = Path.Combine(directory, "vigil.yaml");
        return File.Exists(config) ? config : throw new InvalidOperationException("This build has no embedded demo config (examples/demo/vigil.yaml).");
    }
}
