using Vigil.Core.Runbooks;

namespace Vigil.Core.Tests.Runbooks;

/// <summary>The names runs use on the wire and in the store must not change with the enums behind them.</summary>
public sealed class RunNamesTests
{
    [Theory]
    [InlineData(RollbackOutcome.Succeeded, "succeeded")]
    [InlineData(RollbackOutcome.Failed, "failed")]
    public void RollbackOutcome_StoredNames_RoundTrip(RollbackOutcome outcome, string stored)
    {
        Assert.Equal(stored, RunNames.Of(outcome));
        Assert.Equal(outcome, RunNames.ParseRollback(stored));
    }

    [Theory]
    [InlineData("yes", ConfirmAnswer.Yes)]
    [InlineData("all", ConfirmAnswer.All)]
    [InlineData("no", ConfirmAnswer.No)]
    public void TryParseAnswer_TheThreeWireAnswers(string text, ConfirmAnswer expected)
    {
        Assert.True(RunNames.TryParseAnswer(text, out var answer));
        Assert.Equal(expected, answer);
        Assert.Equal(text, RunNames.Of(answer));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("YES")]
    [InlineData("y")]
    [InlineData("0")]
    [InlineData("maybe")]
    public void TryParseAnswer_AnythingElse_False(string? text)
    {
        Assert.False(RunNames.TryParseAnswer(text, out _));
    }

    [Fact]
    public void DrillResult_Names()
    {
        Assert.Equal("pass", RunNames.Of(DrillResult.Pass));
        Assert.Equal("fail", RunNames.Of(DrillResult.Fail));
    }
}
