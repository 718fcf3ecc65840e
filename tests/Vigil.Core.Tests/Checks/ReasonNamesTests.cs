using System.Text.RegularExpressions;
using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class ReasonNamesTests
{
    [Theory]
    [InlineData(FailureReason.None, "none")]
    [InlineData(FailureReason.Dns, "dns")]
    [InlineData(FailureReason.Connect, "connect")]
    [InlineData(FailureReason.Tls, "tls")]
    [InlineData(FailureReason.Timeout, "timeout")]
    [InlineData(FailureReason.Status, "status")]
    [InlineData(FailureReason.Body, "body")]
    [InlineData(FailureReason.Latency, "latency")]
    [InlineData(FailureReason.Threshold, "threshold")]
    [InlineData(FailureReason.Exec, "exec")]
    [InlineData(FailureReason.NoData, "no_data")]
    [InlineData(FailureReason.Late, "late")]
    public void ToName_FailureReason_StableLowercaseName(FailureReason reason, string name)
    {
        Assert.Equal(name, ReasonNames.ToName(reason));
        Assert.True(ReasonNames.TryParse(name, out var parsed));
        Assert.Equal(reason, parsed);
    }

    [Fact]
    public void ToName_EveryFailureReason_RoundTripsAndIsUnique()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reason in Enum.GetValues<FailureReason>())
        {
            var name = ReasonNames.ToName(reason);

            Assert.Matches(new Regex("^[a-z]+(_[a-z]+)*$"), name);
            Assert.True(ReasonNames.TryParse(name, out var parsed), name);
            Assert.Equal(reason, parsed);
            Assert.True(names.Add(name), $"duplicate name {name}");
        }

        Assert.Equal(12, names.Count);
    }

    [Theory]
    [InlineData(HealthState.Ok, "ok")]
    [InlineData(HealthState.Unknown, "unknown")]
    [InlineData(HealthState.Warning, "warning")]
    [InlineData(HealthState.Critical, "critical")]
    public void ToName_HealthState_RoundTrips(HealthState state, string name)
    {
        Assert.Equal(name, ReasonNames.ToName(state));
        Assert.Equal(state, ReasonNames.ParseState(name));
    }

    [Fact]
    public void ToName_EveryHealthState_RoundTripsAndIsUnique()
    {
        var states = Enum.GetValues<HealthState>();

        var names = states.Select(ReasonNames.ToName).ToList();

        Assert.Equal(states.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Equal(n.ToLowerInvariant(), n));
        Assert.Equal(states, names.Select(ReasonNames.ParseState));
    }

    [Theory]
    [InlineData("NoData")]
    [InlineData("nodata")]
    [InlineData("No_Data")]
    [InlineData("TIMEOUT")]
    [InlineData(" dns")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotACanonicalName_False(string? name)
    {
        Assert.False(ReasonNames.TryParse(name, out _));
    }

    [Theory]
    [InlineData("Critical")]
    [InlineData("down")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseState_UnrecognisedName_Unknown(string? name)
    {
        Assert.Equal(HealthState.Unknown, ReasonNames.ParseState(name));
    }
}
