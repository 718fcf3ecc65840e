using Vigil.Core.Backups;
using Vigil.Core.Config;

namespace Vigil.Server.Backups;

/// <summary>
/// Each backup job's encryption key, from its file or environment variable, read at each use so a
/// rotated file is picked up. Manifests are signed with Vigil's signing keys (<see cref="Keys.KeyService"/>).
/// </summary>
internal sealed class BackupKeys(Func<string, string?> environment)
{
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
