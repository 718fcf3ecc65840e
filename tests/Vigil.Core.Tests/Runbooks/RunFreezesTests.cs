using Vigil.Core.Operations;
using Vigil.Core.Runbooks;
using static Vigil.Core.Tests.Runbooks.RunTestData;

namespace Vigil.Core.Tests.Runbooks;

public sealed class RunFreezesTests
{
    [Fact]
    public void Covers_GlobalFreeze_CoversEveryServiceAndNone()
    {
        var global = Freeze(1, null);

        Assert.True(global.Covers("edge-api"));
        Assert.True(global.Covers(null));
    }

    [Fact]
    public void Covers_ServiceFreeze_CoversOnlyThatService()
    {
        var scoped = Freeze(1, "edge-api");

        Assert.True(scoped.Covers("edge-api"));
        Assert.False(scoped.Covers("billing"));
        Assert.False(scoped.Covers(null));
    }

    [Fact]
    public void Covers_LiftedFreeze_CoversNothing()
    {
        Assert.False(Freeze(1, null, lifted: T0.AddHours(1)).Covers("edge-api"));
    }

    [Fact]
    public void FirstCovering_SkipsOtherServicesAndLiftedFreezes()
    {
        var freezes = new[] { Freeze(1, "billing"), Freeze(2, null, lifted: T0), Freeze(3, "edge-api"), Freeze(4, null) };

        Assert.Equal(3, Vigil.Core.Operations.Freeze.FirstCovering(freezes, "edge-api")?.Id);
        Assert.Equal(4, Vigil.Core.Operations.Freeze.FirstCovering(freezes, "search")?.Id);
        Assert.Null(Vigil.Core.Operations.Freeze.FirstCovering([Freeze(1, "billing")], "edge-api"));
    }

    [Fact]
    public void StartRefusal_MutatingStepsUnderAFreeze_NamesTheStepsAndTheWayOut()
    {
        var refusal = RunFreezes.StartRefusal([Freeze(7, "edge-api")], Plan(Step(1), Step(2, mutating: true), Step(3, mutating: true)), Request());

        Assert.Equal("service edge-api is frozen (freeze #7 by alice: release week), and steps 2, 3 of restart change something. "
            + "Wait for 'vigil unfreeze', or have an operator run it with --override-freeze --reason R (recorded in the audit trail).", refusal);
    }

    [Fact]
    public void StartRefusal_NoneWithoutMutatingSteps_WithAnOverride_OrForAnotherService()
    {
        Assert.Null(RunFreezes.StartRefusal([Freeze(1, null)], Plan(Step(1)), Request()));
        Assert.Null(RunFreezes.StartRefusal([Freeze(1, null)], Plan(Step(1, mutating: true)), Request(freezeOverride: "hotfix for INC-9")));
        Assert.Null(RunFreezes.StartRefusal([Freeze(1, "billing")], Plan(Step(1, mutating: true)), Request()));
    }

    [Fact]
    public void Refusing_OnlyMutatingStepsWithoutOverride()
    {
        Freeze[] freezes = [Freeze(5, null)];

        Assert.Equal(5, RunFreezes.Refusing(freezes, Step(1, mutating: true), Request())?.Id);
        Assert.Null(RunFreezes.Refusing(freezes, Step(1), Request()));
        Assert.Null(RunFreezes.Refusing(freezes, Step(1, mutating: true), Request(freezeOverride: "approved by lead")));
    }

    [Fact]
    public void Describe_GlobalFreeze()
    {
        Assert.Equal("everything is frozen (freeze #2 by alice: release week)", RunFreezes.Describe(Freeze(2, null)));
    }
}
