namespace Vigil.Core.Config;

/// <summary>The state a query check takes when the query returns no data.</summary>
public enum NoDataState
{
    Ok,
    Warning,
    Critical,
    Unknown,
}
