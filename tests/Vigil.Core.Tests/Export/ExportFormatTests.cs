using System.Text;
using Vigil.Core.Audit;
using Vigil.Core.Tests.Config;
using Vigil.Core.Export;
using Vigil.Core.Signing;

namespace Vigil.Core.Tests.Export;

/// <summary>The export file format: written, read back, verified; and docs/export-schema.json kept generated from the sections.</summary>
public sealed class ExportFormatTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PublishedSchema_IsGeneratedFromTheSections()
    {
        var path = Path.Combine(RepoRoot.Find(), "docs", "export-schema.json");
        var generated = ExportSchema.Generate();
        if (Environment.GetEnvironmentVariable("VIGIL_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(File.Exists(path) && File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) == generated,
            "docs/export-schema.json is out of date; run the tests with VIGIL_UPDATE_DOCS=1 and commit the result");
    }

    [Fact]
    public async Task Written_ThenVerified_WithThePublicKeyOnly()
    {
        var key = EcdsaKeys.Generate(T0.AddDays(-1));
        var bytes = await WriteAsync(key, 3);

        var check = await ExportVerifier.VerifyAsync(new MemoryStream(bytes), new KeyRing([key]).PublicOnly(), null, CancellationToken.None);

        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.Equal(3, check.Audit.Checked);
        Assert.Equal(1, check.Audit.Checkpoints);
        Assert.Equal(1, check.Counts["incidents"]);
    }

    [Fact]
    public async Task OneByteChanged_SignatureAndChainReportIt()
    {
        var key = EcdsaKeys.Generate(T0.AddDays(-1));
        var text = Encoding.UTF8.GetString(await WriteAsync(key, 3)).Replace("\"actor\":\"user1\"", "\"actor\":\"User1\"", StringComparison.Ordinal);

        var check = await ExportVerifier.VerifyAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), new KeyRing([key]), null, CancellationToken.None);

        Assert.False(check.Ok);
        Assert.Contains("changed after it was exported", check.SignatureProblem, StringComparison.Ordinal);
        Assert.Equal(2, check.Audit.BrokenAt);
    }

    [Fact]
    public async Task KeyRetiredBeforeTheExport_DoesNotVouchForIt()
    {
        var key = EcdsaKeys.Generate(T0.AddDays(-1));
        var bytes = await WriteAsync(key, 1);
        var retired = key.PublicOnly() with { RetiredAt = T0.AddHours(-1) };

        var check = await ExportVerifier.VerifyAsync(new MemoryStream(bytes), new KeyRing([retired]), null, CancellationToken.None);

        Assert.Contains("outside the validity window", check.SignatureProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedRows_AreNamedByLine()
    {
        var key = EcdsaKeys.Generate(T0.AddDays(-1));
        var lines = Encoding.UTF8.GetString(await WriteAsync(key, 1)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[1] = lines[1].Replace("\"title\":\"db down\"", "\"title\":7", StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<ExportFormatException>(() =>
            ExportVerifier.VerifyAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n")), new KeyRing([key]), null, CancellationToken.None));

        Assert.Contains("line 2 (incidents): column 'title' must be a string", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> WriteAsync(SigningKey key, int entries)
    {
        var output = new MemoryStream();
        var writer = new ExportWriter(output);
        await writer.WriteHeaderAsync(new ExportHeader(ExportFormat.Format, ExportFormat.Version, T0, "0.1.0", 15, "test", key.Id,
            ExportSections.All.Select(s => s.Name).ToList()), CancellationToken.None);
        var incidents = ExportSections.Find("incidents")!;
        await writer.WriteRowAsync(incidents, incidents.Columns.Select(c => c.Name switch
        {
            "title" => "db down",
            _ when c.Nullable => null,
            _ => c.Kind == ExportColumnKind.Integer ? (object)1L : "x",
        }).ToList(), CancellationToken.None);

        var log = ExportSections.Find(ExportSections.AuditLog)!;
        long seq = 0;
        var hash = AuditChain.GenesisHash;
        for (var i = 0; i < entries; i++)
        {
            var e = AuditChain.Seal(seq, hash, new AuditDraft("user" + i, "incident.ack", "incident/1"), T0.AddMinutes(-10 + i));
            await writer.WriteRowAsync(log, [e.Seq, e.At.ToUnixTimeMilliseconds(), e.Actor, e.Action, e.Target, e.Reason, e.Before, e.After, e.PrevHash, e.Hash],
                CancellationToken.None);
            seq = e.Seq;
            hash = e.Hash;
        }

        await writer.WriteRowAsync(ExportSections.Find(ExportSections.AuditHead)!, [1L, seq, hash], CancellationToken.None);
        var at = T0.AddMinutes(-1);
        var sig = EcdsaKeys.Sign(key, SigningPurpose.AuditCheckpoint, AuditCheckpoint.Payload(seq, hash, at));
        await writer.WriteRowAsync(ExportSections.Find(ExportSections.AuditCheckpoints)!, [seq, hash, at.ToUnixTimeMilliseconds(), key.Id, sig.Value], CancellationToken.None);
        await writer.FinishAsync(new KeySigner(key), CancellationToken.None);
        return output.ToArray();
    }

    private sealed class KeySigner(SigningKey key) : ISigner
    {
        public Signature Sign(SigningPurpose purpose, ReadOnlySpan<byte> payload) => EcdsaKeys.Sign(key, purpose, payload);
    }
}
