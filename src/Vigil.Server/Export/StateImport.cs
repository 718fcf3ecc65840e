using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Export;
using Vigil.Core.Signing;
using Vigil.Core.Storage;
using Vigil.Server.Hosting;
using Vigil.Server.Http;
using Vigil.Server.Keys;

namespace Vigil.Server.Export;

/// <summary>How to import: the extra public keys to trust, and whether to import a file that does not verify (with why).</summary>
/// <param name="Actor">Who imports, as the audit entry records it.</param>
public sealed record ImportOptions(string Actor, KeyRing? ExtraKeys = null, bool Force = false, string? Reason = null);

/// <summary>What an import did.</summary>
/// <param name="Check">What verifying the file found (problems are present only when forced).</param>
/// <param name="Imported">Rows written per section.</param>
/// <param name="KeysAdded">Public keys added to the local key ring so the imported checkpoints keep verifying.</param>
/// <param name="KeysNote">When the keys could not be added (they come from VIGIL_KEYS_FILE or VIGIL_SIGNING_KEY): what to do.</param>
/// <param name="AuditSeq">The audit entry that records the import.</param>
public sealed record ImportResult(ExportCheck Check, IReadOnlyDictionary<string, long> Imported, bool Forced, IReadOnlyList<string> KeysAdded, string? KeysNote,
    long AuditSeq);

/// <summary>The import was refused; the message says what is wrong and how to proceed.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);

/// <summary>
/// Imports an export file into an empty store: verifies it (signature and audit chain against the local key ring
/// plus any keys given), refuses a store that holds anything, then writes every row as exported and one audit entry
/// (<c>state.import</c>, or <c>state.import_forced</c> with the reason) in one transaction. The public keys it was
/// verified with join the local ring, so <c>vigil audit verify</c> on the new store checks the imported checkpoints.
/// </summary>
public static class StateImport
{
    public static async Task<ImportResult> ImportAsync(OfflineStore target, string file, ImportOptions options, Action<string, string, long>? onProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Force && string.IsNullOrWhiteSpace(options.Reason))
        {
            throw new ImportRefusedException("--force needs --reason \"why\": a forced import is recorded in the audit trail with its reason.");
        }

        var trust = options.ExtraKeys is null ? target.Keys.Ring : KeyRules.AddPublic(target.Keys.Ring, options.ExtraKeys.Keys);
        ExportCheck check;
        try
        {
            await using var input = File.OpenRead(file);
            check = await ExportVerifier.VerifyAsync(input, trust, (section, rows) => onProgress?.Invoke("verified", section, rows), ct);
        }
        catch (ExportFormatException ex)
        {
            throw new ImportRefusedException($"Cannot import {file}: {ex.Message}.");
        }

        if (check.Header.SchemaVersion > target.SchemaVersion)
        {
            throw new ImportRefusedException($"Cannot import {file}: it was written by Vigil {check.Header.VigilVersion} with store schema {check.Header.SchemaVersion}, "
                + $"newer than this Vigil's ({target.SchemaVersion}). Import it with that Vigil version or a newer one.");
        }

        if (!check.Ok && !options.Force)
        {
            var keysHint = options.ExtraKeys is null
                ? " If the file comes from another Vigil, pass its public keys with --keys PUB (made there by 'vigil keys export --public PUB')."
                : "";
            throw new ImportRefusedException($"Refusing to import {file}: it does not verify:\n  - {string.Join("\n  - ", check.Problems)}\n"
                + $"Nothing was imported.{keysHint} To import it anyway (you trust where it came from), add --force --reason \"why\"; the import is then audited as forced, with the reason and these problems.");
        }

        await EnsureEmptyAsync(target.Store, ct);

        var added = options.ExtraKeys?.Keys.Where(k => target.Keys.Ring.Find(k.Id) is null).Select(k => k.PublicOnly()).ToList() ?? [];
        string? keysNote = null;
        var writeKeys = added.Count > 0 && target.Keys.Source == KeySource.DataFolder;
        if (added.Count > 0 && !writeKeys)
        {
            keysNote = $"The keys come from {(target.Keys.Source == KeySource.File ? "VIGIL_KEYS_FILE (" + target.Keys.Path + ")" : "VIGIL_SIGNING_KEY")}, which Vigil does not write: "
                + $"add the public keys {string.Join(", ", added.Select(k => k.Id))} to the key file, or 'vigil audit verify' will not know the imported checkpoints' keys.";
        }

        var keyPath = target.Keys.Path;
        var previousKeys = writeKeys && File.Exists(keyPath!) ? await File.ReadAllTextAsync(keyPath!, ct) : null;
        var imported = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            var seq = await target.Store.WriteAsync(async (s, c) =>
            {
                string? current = null;
                await using var input = File.OpenRead(file);
                var (_, _, sha256) = await ExportReader.ReadAsync(input, async row =>
                {
                    if (current is not null && current != row.Section.Name)
                    {
                        onProgress?.Invoke("imported", current, imported[current]);
                    }

                    current = row.Section.Name;
                    try
                    {
                        await s.Transfer.InsertAsync(row.Section, row.Columns, row.Values, c);
                    }
                    catch (System.Data.Common.DbException ex) when (ex is not Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: not 19 })
                    {
                        throw new ImportRefusedException($"line {row.Line} of {file} ({row.Section.Name}) cannot be stored: {ex.Message.ReplaceLineEndings(" ")}. Nothing was imported.");
                    }

                    imported[current] = imported.GetValueOrDefault(current) + 1;
                }, c);
                if (current is not null)
                {
                    onProgress?.Invoke("imported", current, imported[current]);
                }

                foreach (var section in ExportSections.All)
                {
                    await s.Transfer.AfterImportAsync(section, c);
                }

                if (sha256 != check.Sha256)
                {
                    throw new ImportRefusedException($"{file} changed while it was being imported; nothing was imported. Import it again once nothing writes to it.");
                }

                if (writeKeys)
                {
                    SecretFile.Write(keyPath!, KeyRingJson.Serialize(KeyRules.AddPublic(target.Keys.Ring, added)), overwrite: true);
                }

                var after = JsonSerializer.Serialize(new
                {
                    file = Path.GetFileName(file),
                    sha256 = check.Sha256,
                    source = check.Header.Source,
                    created_at = check.Header.CreatedAt,
                    vigil_version = check.Header.VigilVersion,
                    signed_by = check.SignedBy,
                    verified = check.Ok,
                    problems = check.Problems,
                    forced = options.Force && !check.Ok,
                    rows = imported,
                    keys_added = added.Select(k => k.Id),
                    os_user = Environment.UserName,
                }, VigilJson.Options);
                var entry = await s.Audit.AppendAsync(new AuditDraft(options.Actor, options.Force && !check.Ok ? "state.import_forced" : "state.import",
                    "export/" + check.Sha256[..16], options.Reason, null, after), c);
                return entry.Seq;
            }, ct);
            foreach (var s in check.Header.Sections)
            {
                imported.TryAdd(s, 0);
            }

            return new ImportResult(check, imported, options.Force && !check.Ok, added.Select(k => k.Id).ToList(), keysNote, seq);
        }
        catch
        {
            if (writeKeys)
            {
                if (previousKeys is null)
                {
                    File.Delete(keyPath!);
                }
                else
                {
                    SecretFile.Write(keyPath!, previousKeys, overwrite: true);
                }
            }

            throw;
        }
    }

    /// <summary>Refuses (with the tables that hold rows) a store that is not empty: import only fills an empty one.</summary>
    public static async Task EnsureEmptyAsync(IVigilStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var nonEmpty = await store.ReadAsync(async (s, c) =>
        {
            var found = new List<string>();
            foreach (var section in ExportSections.All)
            {
                var n = await s.Transfer.CountAsync(section, c);
                if (n > 0)
                {
                    found.Add($"{section.Name} ({n} row{(n == 1 ? "" : "s")})");
                }
            }

            return found;
        }, ct);
        if (nonEmpty.Count > 0)
        {
            throw new ImportRefusedException($"Refusing to import into {store.Description}: the store is not empty ({string.Join(", ", nonEmpty)}). "
                + "Import only fills an empty store: point vigil.store (or --data) at a new one, or move this database away first (a server's first start already writes a key and an admin token: import before starting it).");
        }
    }
}
