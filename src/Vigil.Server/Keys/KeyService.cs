using System.Text;
using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Results;
using Vigil.Core.Signing;
using Vigil.Core.Storage;
using Vigil.Server.Api;
using Vigil.Server.Hosting;
using Vigil.Server.Http;

namespace Vigil.Server.Keys;

/// <summary>Where the keys come from.</summary>
public enum KeySource
{
    /// <summary><c>&lt;data&gt;/keys.json</c>, written by Vigil (mode 0600); rotate and retire work.</summary>
    DataFolder,

    /// <summary>A key file supplied from outside (VIGIL_KEYS_FILE); read only, edited by its owner.</summary>
    File,

    /// <summary>One private key in PEM in VIGIL_SIGNING_KEY; read only.</summary>
    Environment,
}

/// <summary>
/// Holds Vigil's key ring, signs with its current key and carries out rotate and retire: each
/// change writes the key file and its audit entry in one store transaction (the file is put back
/// when the transaction fails).
/// </summary>
public sealed class KeyService : ISigner
{
    public const string FileName = "keys.json";

    private readonly IVigilStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private volatile KeyRing _ring;

    private KeyService(IVigilStore store, TimeProvider time, KeySource source, string? path, KeyRing ring)
    {
        _store = store;
        _time = time;
        Source = source;
        Path = path;
        _ring = ring;
    }

    public KeySource Source { get; }

    /// <summary>The key file, or null for a key from the environment.</summary>
    public string? Path { get; }

    public KeyRing Ring => _ring;

    /// <summary>
    /// Loads the ring: VIGIL_SIGNING_KEY (a PEM) wins, then VIGIL_KEYS_FILE, then <c>&lt;data&gt;/keys.json</c>
    /// (which need not exist yet). Throws <see cref="KeyLoadException"/> with a sentence saying what to fix.
    /// </summary>
    public static KeyService Load(IVigilStore store, TimeProvider time, string dataDirectory, string? keysFile, string? signingKeyPem)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!string.IsNullOrWhiteSpace(signingKeyPem))
        {
            try
            {
                return new KeyService(store, time, KeySource.Environment, null, new KeyRing([EcdsaKeys.FromPem(signingKeyPem, time.GetUtcNow())]));
            }
            catch (FormatException ex)
            {
                throw new KeyLoadException($"VIGIL_SIGNING_KEY is {ex.Message}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(keysFile))
        {
            if (!File.Exists(keysFile))
            {
                throw new KeyLoadException($"VIGIL_KEYS_FILE names {keysFile}, which does not exist; point it at a key file or unset it to use {FileName} in the data folder.");
            }

            return new KeyService(store, time, KeySource.File, keysFile, Read(keysFile));
        }

        var path = System.IO.Path.Combine(dataDirectory, FileName);
        return new KeyService(store, time, KeySource.DataFolder, path, File.Exists(path) ? Read(path) : KeyRing.Empty);
    }

    /// <summary>Reads and checks a key file: owner-only when it holds private keys, well-formed.</summary>
    public static KeyRing Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyLoadException($"Cannot read the key file {path}: {ex.Message}");
        }

        KeyRing ring;
        try
        {
            ring = KeyRingJson.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new KeyLoadException($"The key file {path} is not usable: {ex.Message}.");
        }

        if (!OperatingSystem.IsWindows() && ring.Keys.Any(k => k.PrivateKey is not null))
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new KeyLoadException($"The key file {path} holds private keys but others may read it (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {path}'.");
            }
        }

        return ring;
    }

    /// <summary>
    /// Makes sure there is a key to sign with. In the data folder a missing one is generated and audited
    /// (<c>key.create</c>); a supplied ring without one is an error.
    /// </summary>
    public async Task EnsureSigningKeyAsync(CancellationToken ct)
    {
        if (_ring.SigningKeyAt(_time.GetUtcNow()) is not null)
        {
            return;
        }

        if (Source != KeySource.DataFolder)
        {
            throw new KeyLoadException($"The key file {Path} holds no key Vigil can sign with now (every key is retired or public only); add a current key or unset VIGIL_KEYS_FILE.");
        }

        var fresh = EcdsaKeys.Generate(_time.GetUtcNow());
        await ChangeAsync("system:keys", "key.create", fresh.Id, _ring.Keys.Count == 0 ? "first start: no signing key yet" : "no signing key in service",
            ring => KeyRules.Rotate(ring, fresh, _time.GetUtcNow()), ct);
    }

    public Signature Sign(SigningPurpose purpose, ReadOnlySpan<byte> payload)
    {
        var key = _ring.SigningKeyAt(_time.GetUtcNow())
            ?? throw new InvalidOperationException("Vigil has no key in service to sign with; run 'vigil keys rotate'.");
        return EcdsaKeys.Sign(key, purpose, payload);
    }

    /// <summary>Puts a new key in service and retires the current one.</summary>
    public async Task<Outcome<KeyView>> RotateAsync(string actor, string? reason, CancellationToken ct)
    {
        if (ReadOnlyRefusal() is { } refused)
        {
            return await RecordRefusalAsync(actor, "key.rotate_refused", "key/*", refused, ct);
        }

        var fresh = EcdsaKeys.Generate(_time.GetUtcNow());
        var ring = await ChangeAsync(actor, "key.rotate", fresh.Id, reason, r => KeyRules.Rotate(r, fresh, _time.GetUtcNow()), ct);
        return KeyView.From(ring.Find(fresh.Id)!, ring, _time.GetUtcNow());
    }

    /// <summary>Retires a key at <paramref name="at"/> (default now).</summary>
    public async Task<Outcome<KeyView>> RetireAsync(string id, DateTimeOffset? at, string actor, string? reason, CancellationToken ct)
    {
        if (ReadOnlyRefusal() is { } refused)
        {
            return await RecordRefusalAsync(actor, "key.retire_refused", "key/" + id, refused, ct);
        }

        var now = _time.GetUtcNow();
        if (KeyRules.Retire(_ring, id, at ?? now, now).Refusal is { } refusal)
        {
            return await RecordRefusalAsync(actor, "key.retire_refused", "key/" + id, refusal, ct);
        }

        var ring = await ChangeAsync(actor, "key.retire", id, reason, r => KeyRules.Retire(r, id, at ?? now, now).Value ?? r, ct);
        return KeyView.From(ring.Find(id)!, ring, now);
    }

    /// <summary>A refused change an operator asked for is recorded too (security reviews want refused attempts).</summary>
    private async Task<Refused> RecordRefusalAsync(string actor, string action, string target, Refused refused, CancellationToken ct)
    {
        await _store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(actor, action, target, refused.Message), c), ct);
        return refused;
    }

    private Refused? ReadOnlyRefusal() => Source switch
    {
        KeySource.File => Refused.Conflict($"The keys come from VIGIL_KEYS_FILE ({Path}), which Vigil does not write; change that file and restart."),
        KeySource.Environment => Refused.Conflict("The signing key comes from VIGIL_SIGNING_KEY, which Vigil does not write; supply another key and restart."),
        _ => null,
    };

    private async Task<KeyRing> ChangeAsync(string actor, string action, string target, string? reason, Func<KeyRing, KeyRing> change, CancellationToken ct)
    {
        await _changes.WaitAsync(ct);
        try
        {
            var before = _ring;
            var after = change(before);
            var previousText = File.Exists(Path!) ? await File.ReadAllTextAsync(Path!, ct) : null;
            try
            {
                await _store.WriteAsync(async (s, c) =>
                {
                    SecretFile.Write(Path!, KeyRingJson.Serialize(after), overwrite: true);
                    await s.Audit.AppendAsync(new AuditDraft(actor, action, "key/" + target, reason,
                        Json(before), Json(after)), c);
                    return 0;
                }, ct);
            }
            catch
            {
                if (previousText is null)
                {
                    File.Delete(Path!);
                }
                else
                {
                    SecretFile.Write(Path!, previousText, overwrite: true);
                }

                throw;
            }

            _ring = after;
            return after;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>The ring as the audit entry records it: ids, windows and states, never key material.</summary>
    private string Json(KeyRing ring) =>
        JsonSerializer.Serialize(ring.Keys.Select(k => new { id = k.Id, state = k.State, created_at = k.CreatedAt, not_before = k.NotBefore, retired_at = k.RetiredAt }), VigilJson.Options);
}

/// <summary>The keys cannot be loaded; the message says what to fix.</summary>
public sealed class KeyLoadException(string message) : Exception(message);
