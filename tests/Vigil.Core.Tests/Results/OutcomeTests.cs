using Vigil.Core.Results;

namespace Vigil.Core.Tests.Results;

public sealed class OutcomeTests
{
    [Fact]
    public void Value_IsNotRefused_AndMatchesOk()
    {
        Outcome<int> outcome = 42;

        Assert.False(outcome.IsRefused);
        Assert.Null(outcome.Refusal);
        Assert.Equal("ok 42", outcome.Match(v => $"ok {v}", r => r.Message));
    }

    [Fact]
    public void Refused_CarriesKindAndMessage_AndMatchesRefused()
    {
        Outcome<string> outcome = Refused.NotFound("run #9");

        Assert.True(outcome.IsRefused);
        Assert.Null(outcome.Value);
        Assert.Equal(RefusalKind.NotFound, outcome.Refusal!.Kind);
        Assert.Equal("NotFound: run #9", outcome.Match(v => v, r => $"{r.Kind}: {r.Message}"));
        Assert.Equal(RefusalKind.Conflict, Refused.Conflict("already ended").Kind);
    }
}
