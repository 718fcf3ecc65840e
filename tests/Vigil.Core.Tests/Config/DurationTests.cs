using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d12h", 129_600_000)]
    [InlineData("2m30s500ms", 150_500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData(" 10s ", 10_000)]
    public void TryParse_ValidText_ReturnsDuration(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-5s", "must not be negative")]
    [InlineData("10", "has no unit")]
    [InlineData("5x", "unknown unit `x`")]
    [InlineData("10 minutes", "without a space and with a short unit: 10m")]
    [InlineData("10 parsecs", "with no spaces or signs")]
    [InlineData("15min", "unknown unit `min`; write 15m")]
    [InlineData("30m1h", "from largest to smallest")]
    [InlineData("1h1h", "from largest to smallest")]
    [InlineData("h", "expected a number")]
    [InlineData("1.5ms", "millisecond-precise")]
    [InlineData("1..5s", "is not a number")]
    [InlineData("99999999999w", "too long")]
    public void TryParse_InvalidText_FailsWithReason(string text, string reason)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_Fails()
    {
        Assert.False(Duration.TryParse(null, out _));
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Duration.Parse("soon"));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(604_800_000, "7d")]
    [InlineData(90_061_001, "1d1h1m1s1ms")]
    public void Format_Value_IsCanonicalAndRoundTrips(long milliseconds, string expected)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        var text = Duration.Format(value);

        Assert.Equal(expected, text);
        Assert.Equal(value, Duration.Parse(text));
    }
}
