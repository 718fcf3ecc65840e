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

        Hosting.SecretFile.Write(Path.Combine(dataDirectory, FileName), created.Secret + Environment.NewLine, overwrite: true);
        return created.Secret;
    }
}
