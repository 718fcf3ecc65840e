using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Vigil.Server.WebConsole;

/// <summary>The console's static files, embedded in the binary and served with an ETag.</summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, (byte[] Body, string ETag, string Type)> Files = Load();

    public static IResult Serve(string name, HttpContext http)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Http.Problems.NotFound($"console asset {name}");
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ETag = file.ETag;
        return http.Request.Headers.IfNoneMatch.ToString() == file.ETag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(file.Body, file.Type);
    }

    private static Dictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("console/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            var name = resource["console/".Length..];
            var type = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                : "application/octet-stream";
            files[name] = (body, "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"", type);
        }

        return files;
    }
}
