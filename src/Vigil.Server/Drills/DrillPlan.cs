using Vigil.Core.Runbooks;
using Vigil.Server.Runbooks;

namespace Vigil.Server.Drills;

/// <summary>A validated drill request: the three runs ready to start, the checks expected to notice and the limits.</summary>
internal sealed record DrillPlan(
    CatalogEntry Entry,
    string Service,
    IReadOnlyList<string> CheckKeys,
    RunStart Inject,
    RunStart Recover,
    RunStart Verify,
    TimeSpan Rto,
    TimeSpan DetectWithin,
    TimeSpan RecoverWithin,
    string Actor);
