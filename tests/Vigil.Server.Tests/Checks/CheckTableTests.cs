using Spectre.Console;
using Vigil.Cli.Commands;
using Vigil.Server.Api;

namespace Vigil.Server.Tests.Checks;

public sealed class CheckTableTests
{
    private static string Render(CheckView view)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 240;
        console.Write(CheckCommands.Table([view]));
        return writer.ToString();
    }

    private static CheckView View(string state, PendingView? pending) =>
        new("edge", "health", "edge/health", "http", state, null, DateTimeOffset.UnixEpoch, false, null, "critical", "connect", 3, "connection refused", null,
            null, null, 10, 0, null, pending);

    [Fact]
    public void Table_PendingCheck_ShowsPendingWithTimeLeftAndCount()
    {
        var text = Render(View("pending", new PendingView("critical", "connect", 1, 3, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(20), 125)));

        Assert.Contains("pending (2m05s left, 1/3 → critical)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_OkCheck_HasNoPendingNote()
    {
        var text = Render(View("ok", null));

        Assert.DoesNotContain("left", text, StringComparison.Ordinal);
        Assert.Contains(" ok ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m00s")]
    [InlineData(3599, "59m59s")]
    [InlineData(7260, "2h01m")]
    public void Left_Seconds_FormatsCompactly(long seconds, string expected) => Assert.Equal(expected, CheckCommands.Left(seconds));
}
