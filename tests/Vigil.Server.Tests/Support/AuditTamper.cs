using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Vigil.Core.Audit;
using Vigil.Core.Signing;

namespace Vigil.Server.Tests.Support;

/// <summary>
/// Rewrites a store's audit trail behind Vigil's back the way an attacker with shell access would: the real
/// <c>sqlite3</c> shell on the database file, hashes recomputed with the published algorithm, checkpoints
/// re-signed when the attacker also holds the signing key.
/// </summary>
internal static class AuditTamper
{
    public static string Quote(string? s) => s is null ? "NULL" : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static List<AuditEntry> ReadEntries(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, at, actor, action, target, reason, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq";
        using var r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read())
        {
            list.Add(new AuditEntry(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.GetString(9)));
        }

        return list;
    }

    public static List<AuditCheckpoint> ReadCheckpoints(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, hash, at, key_id, signature FROM audit_checkpoints ORDER BY seq";
        using var r = cmd.ExecuteReader();
        var list = new List<AuditCheckpoint>();
        while (r.Read())
        {
            list.Add(new AuditCheckpoint(r.GetInt64(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), r.GetString(3), r.GetString(4)));
        }

        return list;
    }

    /// <summary>
    /// Changes the reason of entry <paramref name="seq"/> and recomputes its hash and every later one, and the head:
    /// the chain alone is consistent again. Returns the rewritten hashes by seq. With <paramref name="resignWith"/>
    /// (the attacker holds the key), every checkpoint is re-signed over the new hashes too.
    /// </summary>
    public static async Task<Dictionary<long, string>> RehashAsync(string db, long seq, string reason, ISigner? resignWith = null)
    {
        var entries = ReadEntries(db);
        var script = new StringBuilder("BEGIN;\n");
        var hashes = new Dictionary<long, string>();
        var prev = seq == 1 ? AuditChain.GenesisHash : entries.Single(e => e.Seq == seq - 1).Hash;
        foreach (var e in entries.Where(e => e.Seq >= seq))
        {
            var rewritten = e.Seq == seq ? e with { Reason = reason, PrevHash = prev } : e with { PrevHash = prev };
            var hash = AuditChain.ComputeHash(rewritten);
            script.Append(CultureInfo.InvariantCulture, $"UPDATE audit_log SET reason = {Quote(rewritten.Reason)}, prev_hash = '{prev}', hash = '{hash}' WHERE seq = {e.Seq};\n");
            hashes[e.Seq] = hash;
            prev = hash;
        }

        script.Append(CultureInfo.InvariantCulture, $"UPDATE audit_head SET hash = '{prev}' WHERE id = 1;\n");
        if (resignWith is not null)
        {
            foreach (var cp in ReadCheckpoints(db).Where(c => hashes.ContainsKey(c.Seq)))
            {
                var signature = resignWith.Sign(SigningPurpose.AuditCheckpoint, AuditCheckpoint.Payload(cp.Seq, hashes[cp.Seq], cp.At));
                script.Append(CultureInfo.InvariantCulture,
                    $"UPDATE audit_checkpoints SET hash = '{hashes[cp.Seq]}', key_id = {Quote(signature.KeyId)}, signature = {Quote(signature.Value)} WHERE seq = {cp.Seq};\n");
            }
        }

        script.Append("COMMIT;\n");
        await Sqlite3Async(db, script.ToString());
        return hashes;
    }

    /// <summary>Removes every entry after <paramref name="keepThrough"/>, and the checkpoints that covered them, and moves the head back: a clean cut.</summary>
    public static Task TruncateAsync(string db, long keepThrough)
    {
        var kept = ReadEntries(db).Single(e => e.Seq == keepThrough);
        return Sqlite3Async(db, string.Create(CultureInfo.InvariantCulture, $"""
            BEGIN;
            DELETE FROM audit_log WHERE seq > {keepThrough};
            DELETE FROM audit_checkpoints WHERE seq > {keepThrough};
            UPDATE audit_head SET seq = {keepThrough}, hash = '{kept.Hash}' WHERE id = 1;
            COMMIT;
            """));
    }

    /// <summary>Runs the real sqlite3 shell on the file, as an attacker with shell access would.</summary>
    public static async Task Sqlite3Async(string db, string sql)
    {
        var psi = new ProcessStartInfo("/usr/bin/sqlite3", [db]) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(sql);
        p.StandardInput.Close();
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"sqlite3 failed: {err}");
    }
}
