using System.Security.Cryptography;
using Vigil.Core.Backups;
using Vigil.Core.Config;
using Vigil.Server.Hosting;

namespace Vigil.Server.Backups;

/// <summary>
/// The keys backups use: each job's encryption key (from its file or environment variable, read at each
/// use so a rotated file is picked up), and the interim manifest signer, whose key Vigil creates in the data
/// folder as <c>manifest-signing.key</c> (0600) on first use.
/// </summary>
internal sealed class BackupKeys(ServerInfo server, Func<string, string?> environment)
{
    public const string SignerFile = "manifest-signing.key";

    private readonly Lock _lock = new();
    private IManifestSigner? _signer;

    public IManifestSigner Signer()
    {
        lock (_lock)
        {
            if (_signer is not null)
            {
                return _signer;
            }

            var path = Path.Combine(server.DataDirectory, SignerFile);
            if (!File.Exists(path))
            {
                SecretFile.Write(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n", overwrite: false);
            }

            var text = File.ReadAllText(path).Trim();
            var key = text.Length == 64 && text.All(Uri.IsHexDigit)
                ? Convert.FromHexString(text)
                : throw new InvalidOperationException($"{path} does not hold a manifest signing key (64 hex digits); move it aside and Vigil creates a new one (older manifests then fail their signature check)");
            return _signer = new HmacManifestSigner(key);
        }
    }

    /// <summary>The job's encryption key; null with no error when the job is unencrypted.</summary>
    public BackupKey? EncryptionKey(BackupConfig job, string baseDirectory, out string? error)
    {
        error = null;
        if (job.Encryption is not { } enc)
        {
            return null;
        }

        if (enc.KeyEnv is { } env)
        {
            var value = environment(env);
            if (string.IsNullOrWhiteSpace(value))
            {
                error = $"backup {job.Id}: the environment variable {env} (encryption.key_env) is not set; set it to the job's key (64 hex digits or base64 of 32 bytes)";
                return null;
            }

            return BackupKey.TryParse(System.Text.Encoding.UTF8.GetBytes(value), $"the environment variable {env}", out error);
        }

        var path = Path.IsPathRooted(enc.KeyFile!) ? enc.KeyFile! : Path.GetFullPath(Path.Combine(baseDirectory, enc.KeyFile!));
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"backup {job.Id}: cannot read the key file {path} (encryption.key_file): {ex.Message}";
            return null;
        }

        return BackupKey.TryParse(content, $"the key file {path}", out error);
    }
}
