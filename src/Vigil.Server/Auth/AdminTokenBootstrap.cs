using Vigil.Core.Auth;
using Vigil.Core.Storage;

namespace Vigil.Server.Auth;

/// <summary>
/// On first start with an empty token table, creates an admin token, writes it to
/// <c>&lt;data&gt;/admin.token</c> (mode 0600) and returns it so the caller prints it once.
/// </summary>
internal static class AdminTokenBootstrap
{
    public const string FileName = "admin.token";

    public static async Task<string?> EnsureAsync(IVigilStore store, TokenService tokens, string dataDirectory, CancellationToken ct)
    {
        var any = await store.ReadAsync(async (s, c) => (await s.Tokens.ListAsync(includeRevoked: true, c)).Count > 0, ct);
        if (any)
        {
            return null;
        }

        var (created, conflict) = await tokens.CreateAsync("admin", Role.Admin, "system:bootstrap", "first start with an empty store", ct);
        if (created is null)
        {
            throw new InvalidOperationException(conflict);
        }

        var path = Path.Combine(dataDirectory, FileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(created.Secret);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only when the file is new; tighten an existing one too.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return created.Secret;
    }
}
