using Vigil.Core.Auth;
using Vigil.Core.Storage;

namespace Vigil.Server.Auth;

/// <summary>
/// On first start with an empty token table, creates an admin token, writes it to
/// <c>&lt;data&gt;/admin.token</c> (mode 0600) and returns it so the caller prints it. Until a start
/// succeeds (<see cref="MarkShown"/>), a marker file keeps it pending, so a first start that failed
/// after creating the token (a busy port) shows it again on the next one.
/// </summary>
internal static class AdminTokenBootstrap
{
    public const string FileName = "admin.token";

    /// <summary>Exists while the admin token was created but no start has succeeded to show it.</summary>
    public const string PendingFileName = "admin.token.unshown";

    public static async Task<string?> EnsureAsync(IVigilStore store, TokenService tokens, string dataDirectory, CancellationToken ct)
    {
        var any = await store.ReadAsync(async (s, c) => (await s.Tokens.ListAsync(includeRevoked: true, c)).Count > 0, ct);
        if (any)
        {
            return Pending(dataDirectory);
        }

        var (created, conflict) = await tokens.CreateAsync("admin", Role.Admin, "system:bootstrap", "first start with an empty store", ct);
        if (created is null)
        {
            throw new InvalidOperationException(conflict);
        }

        Hosting.SecretFile.Write(Path.Combine(dataDirectory, PendingFileName), "", overwrite: true);
        Hosting.SecretFile.Write(Path.Combine(dataDirectory, FileName), created.Secret + Environment.NewLine, overwrite: true);
        return created.Secret;
    }

    /// <summary>Records that a start succeeded, so the token is not shown again.</summary>
    public static void MarkShown(string dataDirectory) => File.Delete(Path.Combine(dataDirectory, PendingFileName));

    private static string? Pending(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, PendingFileName)))
        {
            return null;
        }

        try
        {
            var secret = File.ReadAllText(Path.Combine(dataDirectory, FileName)).Trim();
            return secret.Length > 0 ? secret : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
