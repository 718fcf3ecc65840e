using Vigil.Core.Text;

namespace Vigil.Core.Tests.Text;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[2Jcleared", "\\u001B[2Jcleared")]
    [InlineData("\u001b]0;owned\u0007title", "\\u001B]0;owned\\u0007title")]
    [InlineData("a\u001b[8mhidden\u001b[0mb", "a\\u001B[8mhidden\\u001B[0mb")]
    [InlineData("del\u007f", "del\\u007F")]
    [InlineData("csi\u009b2J nel\u0085", "csi\\u009B2J nel\\u0085")]
    [InlineData("nul\0bell\a", "nul\\u0000bell\\u0007")]
    [InlineData("over\rwrite", "over\\u000Dwrite")]
    public void Sanitize_ControlCharacters_BecomeVisibleEscapes(string input, string expected) =>
        Assert.Equal(expected, TerminalText.Sanitize(input));

    [Theory]
    [InlineData("plain text")]
    [InlineData("tab\tand\nnewline")]
    [InlineData("unicode: é ✔ 日本 \u00a0")]
    [InlineData("")]
    public void Sanitize_SafeText_IsReturnedUnchanged(string input) =>
        Assert.Same(input, TerminalText.Sanitize(input));

    [Fact]
    public void Sanitize_CrLf_BecomesNewline() =>
        Assert.Equal("one\ntwo\n", TerminalText.Sanitize("one\r\ntwo\r\n"));

    [Fact]
    public void Sanitize_Null_IsNull() => Assert.Null(TerminalText.Sanitize(null));
}
