using Vigil.Core.Runbooks;
using static Vigil.Core.Tests.Runbooks.RunTestData;

namespace Vigil.Core.Tests.Runbooks;

public sealed class StepConfirmationsTests
{
    [Theory]
    [InlineData("all", true)]
    [InlineData("2", true)]
    [InlineData("drop", true)]
    [InlineData("3", false)]
    [InlineData("Drop", false)]
    [InlineData("ALL", false)]
    public void IsPreConfirmed_ByNumberNameOrAll(string confirmed, bool expected)
    {
        Assert.Equal(expected, StepConfirmations.IsPreConfirmed([confirmed], Step(2, "drop", confirm: true)));
    }

    [Fact]
    public void IsPreConfirmed_UnnamedStep_OnlyByNumber()
    {
        Assert.False(StepConfirmations.IsPreConfirmed(["drop"], Step(2, confirm: true)));
        Assert.True(StepConfirmations.IsPreConfirmed(["drop", "2"], Step(2, confirm: true)));
        Assert.False(StepConfirmations.IsPreConfirmed([], Step(2, confirm: true)));
    }

    [Fact]
    public void NeedsConfirmation_OrdinaryStep_AsksUnlessAutoConfirmed()
    {
        Assert.True(StepConfirmations.NeedsConfirmation(Request(), Step(1), autoConfirm: false));
        Assert.False(StepConfirmations.NeedsConfirmation(Request(), Step(1), autoConfirm: true));
    }

    [Fact]
    public void NeedsConfirmation_ConfirmStep_AsksEvenWithYes_UnlessPreConfirmed()
    {
        Assert.True(StepConfirmations.NeedsConfirmation(Request(), Step(1, "drop", confirm: true), autoConfirm: true));
        Assert.False(StepConfirmations.NeedsConfirmation(Request(confirmed: ["drop"]), Step(1, "drop", confirm: true), autoConfirm: false));
    }

    [Fact]
    public void NeedsConfirmation_StepByStep_AlwaysAsks()
    {
        Assert.True(StepConfirmations.NeedsConfirmation(Request(confirmed: [StepConfirmations.AllSteps], stepByStep: true), Step(1, "drop", confirm: true), autoConfirm: true));
    }
}
