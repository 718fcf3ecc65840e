namespace Vigil.Core.Runbooks;

/// <summary>A finished drill against its RTO (sent as <c>pass</c> / <c>fail</c>).</summary>
public enum DrillResult
{
    /// <summary>It succeeded within the RTO.</summary>
    Pass,

    /// <summary>It failed, or took longer than the RTO.</summary>
    Fail,
}
