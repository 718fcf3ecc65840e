using System.Text;
using Vigil.Core.Audit;
using Vigil.Core.Config;

namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>
/// Appends each checkpoint as one JSON line. The file is opened for appending only (O_APPEND: every write lands
/// at the end, whatever else writes to it) and flushed to disk before the delivery counts.
/// </summary>
internal sealed class FileWitness(string id, AuditWitnessFileConfig config) : IAuditWitness
{
    public string Id => id;

    public string Description => "file " + config.Path;

    public bool CanRead => true;

    public async Task SendAsync(WitnessRecord record, CancellationToken ct)
    {
        var line = Encoding.UTF8.GetBytes(record.ToJson() + "\n");
        // FileMode.Append opens with O_APPEND and write access only; the line is one write, so a reader never sees half of it.
        await using var file = new FileStream(config.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.None);
        await file.WriteAsync(line, ct);
        file.Flush(flushToDisk: true);
    }

    public async Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(CancellationToken ct)
    {
        if (!File.Exists(config.Path))
        {
            return [];
        }

        var list = new List<AuditCheckpoint>();
        var n = 0;
        foreach (var line in await File.ReadAllLinesAsync(config.Path, ct))
        {
            n++;
            if (line.Length == 0)
            {
                continue;
            }

            list.Add(WitnessRecord.TryParse(line, out var problem)
                ?? throw new WitnessException($"line {n} of {config.Path} is not a checkpoint: {problem}"));
        }

        return list;
    }
}
