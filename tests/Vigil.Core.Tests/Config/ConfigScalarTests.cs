using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

public sealed class ConfigScalarTests
{
    [Theory]
    [InlineData("99.5%", 99.5)]
    [InlineData("100%", 100)]
    [InlineData("0%", 0)]
    [InlineData("99.95 %", 99.95)]
    public void PercentageTryParse_ValidText_ReturnsValue(string text, double value)
    {
        Assert.True(Percentage.TryParse(text, out var p, out _));
        Assert.Equal(value, p.Value, 10);
        Assert.Equal(value / 100, p.Fraction, 10);
    }

    [Theory]
    [InlineData("99.5", "percent sign")]
    [InlineData("abc%", "number before")]
    [InlineData("101%", "between 0% and 100%")]
    [InlineData("-1%", "between 0% and 100%")]
    public void PercentageTryParse_InvalidText_FailsWithReason(string text, string reason)
    {
        Assert.False(Percentage.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1048576", 1_048_576)]
    [InlineData("512KB", 512_000)]
    [InlineData("10MB", 10_000_000)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1.5GiB", 1_610_612_736)]
    [InlineData("64 kib", 65_536)]
    [InlineData("7B", 7)]
    public void ByteSizeTryParse_ValidText_ReturnsBytes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var value, out var error), error);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("ten", "byte size like")]
    [InlineData("10XB", "unknown unit `XB`")]
    [InlineData("0.5B", "whole number of bytes")]
    public void ByteSizeTryParse_InvalidText_FailsWithReason(string text, string reason)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("schedule:primary", NotifyTargetKind.Schedule, "primary")]
    [InlineData("person:alice", NotifyTargetKind.Person, "alice")]
    [InlineData("notifier:ops-email", NotifyTargetKind.Notifier, "ops-email")]
    public void NotifyTargetTryParse_ValidText_RoundTrips(string text, NotifyTargetKind kind, string id)
    {
        Assert.True(NotifyTarget.TryParse(text, out var target, out _));
        Assert.Equal(new NotifyTarget(kind, id), target);
        Assert.Equal(text, target.ToConfigString());
    }

    [Theory]
    [InlineData("primary", "kind:id")]
    [InlineData("schedule:", "kind:id")]
    [InlineData("shedule:primary", "did you mean `schedule`?")]
    public void NotifyTargetTryParse_InvalidText_FailsWithReason(string text, string reason)
    {
        Assert.False(NotifyTarget.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mon 09:00", DayOfWeek.Monday, 9, 0, "Mon 09:00")]
    [InlineData("friday 17:30", DayOfWeek.Friday, 17, 30, "Fri 17:30")]
    [InlineData("8:15", null, 8, 15, "08:15")]
    public void HandoffTimeTryParse_ValidText_ReturnsCanonical(string text, DayOfWeek? day, int hour, int minute, string canonical)
    {
        Assert.True(HandoffTime.TryParse(text, out var handoff, out var error), error);
        Assert.Equal(new HandoffTime(day, new TimeOnly(hour, minute)), handoff);
        Assert.Equal(canonical, handoff.ToConfigString());
    }

    [Theory]
    [InlineData("Someday 09:00", "not a weekday")]
    [InlineData("Mon 25:00", "not a time of day")]
    [InlineData("Mon 09:00 UTC", "write a handoff time")]
    public void HandoffTimeTryParse_InvalidText_FailsWithReason(string text, string reason)
    {
        Assert.False(HandoffTime.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 2 * * *")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 2 * * SUN")]
    [InlineData("30 0 2 * * *")]
    [InlineData("@daily")]
    public void CronRulesTryParse_ValidExpression_Succeeds(string text)
    {
        Assert.True(CronRules.TryParse(text, out var expression, out var error), error);
        Assert.NotNull(expression);
    }

    [Theory]
    [InlineData("61 * * * *", "Minutes")]
    [InlineData("0 2 *", "5 fields")]
    [InlineData("", "5 fields")]
    public void CronRulesTryParse_InvalidExpression_FailsWithReason(string text, string reason)
    {
        Assert.False(CronRules.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
