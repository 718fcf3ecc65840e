using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Core.Export;
using Vigil.Core.Storage;
using Vigil.Server.Hosting;
using Vigil.Server.Http;
using Vigil.Server.Keys;

namespace Vigil.Server.Export;

/// <summary>
/// Writes Vigil's state as an export file (<see cref="ExportFormat"/>): the export is audited first
/// (<c>state.export</c>), so the file's own audit trail records who took it; then every section is read
/// from one consistent snapshot and streamed out, and the file is signed with the current key.
/// </summary>
public static class StateExport
{
    public static async Task<ExportTrailer> WriteAsync(IVigilStore store, KeyService keys, ServerInfo info, string source, string actor, Stream output,
        TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(time);
        var now = ExportFormat.Stamp(time.GetUtcNow());
        var key = keys.Ring.SigningKeyAt(now)
            ?? throw new InvalidOperationException("Vigil has no key in service to sign the export with; run 'vigil keys rotate'.");
        await store.WriteAsync((s, c) => s.Audit.AppendAsync(new AuditDraft(actor, "state.export", "export", null, null,
            JsonSerializer.Serialize(new { created_at = now, key_id = key.Id, sections = ExportSections.All.Select(x => x.Name) }, VigilJson.Options)), c), ct);

        var start = output.CanSeek ? output.Position : (long?)null;
        var runs = 0;
        return await store.ReadAsync(async (s, c) =>
        {
            // A read may run again (PostgreSQL, after a lost connection): what an earlier run wrote must not stay in front of it.
            if (runs++ > 0)
            {
                if (start is not { } at)
                {
                    throw new StoreUnavailableException(
                        "the connection to the store was lost while the export was being streamed, and what was already sent cannot be taken back; take the export again");
                }

                output.SetLength(at);
                output.Position = at;
            }

            var writer = new ExportWriter(output);
            await writer.WriteHeaderAsync(new ExportHeader(ExportFormat.Format, ExportFormat.Version, now, info.Version, info.SchemaVersion, source, key.Id,
                ExportSections.All.Select(x => x.Name).ToList()), c);
            foreach (var section in ExportSections.All)
            {
                await foreach (var values in s.Transfer.ReadAsync(section, c))
                {
                    await writer.WriteRowAsync(section, values, c);
                }
            }

            return await writer.FinishAsync(keys, c);
        }, ct);
    }
}
