using System.Text;
using Vigil.Core.Runbooks;
using Vigil.Server.Runbooks;

namespace Vigil.Server.Tests.Runbooks;

/// <summary>Capture, streaming and redaction of a step's output, fed the way the process pump feeds it: in arbitrary chunks.</summary>
public sealed class StepOutputTests
{
    [Fact]
    public void ASecretAtTheLongLineCut_IsStillRedacted()
    {
        const string secret = "s3cr3t-token-value";
        var streamed = new List<string>();
        var output = new StepOutput(new OutputRedactor([secret], []), 1024 * 1024, streamed.Add, "cut");

        // 64 KiB without a newline forces a cut; the secret sits right across that point.
        var text = new string('x', 64 * 1024 - 10) + " " + secret + " and more\n";
        Feed(output, text, chunk: 1000);
        var kept = output.Complete();

        Assert.DoesNotContain(secret, kept, StringComparison.Ordinal);
        Assert.DoesNotContain(streamed, l => l.Contains("s3cr3t", StringComparison.Ordinal));
        Assert.Contains("[redacted] and more", kept, StringComparison.Ordinal);
        Assert.True(streamed.Count >= 2, "the long line was handed on in pieces");
    }

    [Fact]
    public void OverTheCap_KeepsHeadAndTailWithAMarker_AndStreamsOneNotice()
    {
        var streamed = new List<string>();
        var output = new StepOutput(new OutputRedactor([], []), 1000, streamed.Add, "[stream cut]");
        var text = string.Concat(Enumerable.Range(1, 100).Select(i => $"line {i:000} of the output\n"));
        Feed(output, text, chunk: 7);
        var kept = output.Complete();

        Assert.True(output.Truncated);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), output.TotalBytes);
        Assert.StartsWith("line 001", kept, StringComparison.Ordinal);
        Assert.EndsWith("line 100 of the output\n", kept, StringComparison.Ordinal);
        Assert.Contains("bytes of output omitted", kept, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(kept) < 1200, $"{kept.Length} characters kept");
        Assert.Equal("[stream cut]", streamed[^1]);
        Assert.Single(streamed, l => l == "[stream cut]");
    }

    [Fact]
    public void MultiByteCharactersSplitAcrossChunks_AreDecodedWhole()
    {
        var streamed = new List<string>();
        var output = new StepOutput(new OutputRedactor([], []), 4096, streamed.Add, "cut");
        Feed(output, "Grüße, 東京 ✔\n", chunk: 1);
        Assert.Equal(["Grüße, 東京 ✔"], streamed);
    }

    private static void Feed(StepOutput output, string text, int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            output.Write(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
        }
    }
}
