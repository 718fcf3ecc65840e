using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Export;
using Vigil.Server.Hosting;
using Vigil.Server.Http;

namespace Vigil.Server.Export;

/// <summary>What <see cref="StoreMove.MoveAsync"/> did.</summary>
/// <param name="Copied">Rows copied per section.</param>
/// <param name="Verified">The target's audit chain and signed checkpoints, verified after the copy.</param>
/// <param name="ImportSeq">The target's <c>state.import</c> audit entry.</param>
/// <param name="SourceSeq">The source's <c>store.migrate</c> audit entry, which names the target.</param>
public sealed record StoreMoveResult(string From, string To, IReadOnlyDictionary<string, long> Copied, AuditVerification Verified, long ImportSeq, long SourceSeq);

/// <summary>
/// <c>vigil migrate-store</c>: copies a stopped Vigil's whole state into another, empty store (SQLite to PostgreSQL,
/// typically) through the same signed export and verified import that <c>vigil export</c> and <c>vigil import</c> use,
/// so the copy is checked by the same signature, audit chain and checkpoints, and the one path is tested once. The
/// export file lives only for the copy, owner-only in the data folder, and is deleted whatever happens. At the end the
/// target's audit chain is verified with the instance's keys; the source gets a <c>store.migrate</c> entry naming the
/// target, so anyone who starts the old store again can see where the installation went.
/// </summary>
public static class StoreMove
{
    public const string Actor = "system:migrate-store";

    /// <param name="progress">Called with (phase, section, rows) as sections are exported, verified and imported.</param>
    public static async Task<StoreMoveResult> MoveAsync(OfflineStore source, OfflineStore target, TimeProvider time, Action<string, string, long>? progress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(time);
        if (source.Store.Description == target.Store.Description)
        {
            throw new ImportRefusedException($"The target {target.Store.Description} is the store Vigil already uses; name a new, empty store with --to.");
        }

        if (source.Keys.Ring.SigningKeyAt(ExportFormat.Stamp(time.GetUtcNow())) is null)
        {
            throw new ImportRefusedException($"{source.Store.Description} has no signing key in service (a Vigil that never started, or keys not found): "
                + "start it once with 'vigil serve', or point VIGIL_KEYS_FILE / VIGIL_SIGNING_KEY at its keys, then migrate.");
        }

        await StateImport.EnsureEmptyAsync(target.Store, ct);
        var file = Path.Combine(source.DataDirectory, $"migrate-store-{Guid.NewGuid():N}.export");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            ExportTrailer trailer;
            await using (var output = new FileStream(file, options))
            {
                var info = ServerInfo.Create(source.Store, source.SchemaVersion, source.DataDirectory, time);
                trailer = await StateExport.WriteAsync(source.Store, source.Keys, info, "migrate-store", Actor, output, time, ct);
            }

            foreach (var (section, rows) in trailer.Counts.Where(c => c.Value > 0))
            {
                progress?.Invoke("exported", section, rows);
            }

            var imported = await StateImport.ImportAsync(target, file, new ImportOptions(Actor), progress, ct);
            var verified = await target.Store.ReadAsync((s, c) => s.Audit.VerifyAsync(target.Keys.Ring, c), ct);
            if (!verified.Ok)
            {
                throw new ImportRefusedException($"The copy in {target.Store.Description} was written, but its audit chain does not verify: {verified.Problem} "
                    + $"(entry {verified.BrokenAt}). Do not switch to it: drop it and run migrate-store again; the source {source.Store.Description} is unchanged.");
            }

            var after = JsonSerializer.Serialize(new { to = target.Store.Description, rows = imported.Imported, target_entry = imported.AuditSeq }, VigilJson.Options);
            var sourceSeq = await source.Store.WriteAsync(async (s, c) =>
                (await s.Audit.AppendAsync(new AuditDraft(Actor, "store.migrate", "store", null, null, after), c)).Seq, ct);
            return new StoreMoveResult(source.Store.Description, target.Store.Description, imported.Imported, verified, imported.AuditSeq, sourceSeq);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
