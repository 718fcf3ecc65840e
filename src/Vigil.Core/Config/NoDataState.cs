namespace Vigil.Core.Config;

/// <summary>The state a query check takes when the query returns no data.</summary>
public enum NoDataState
{
    /// <summary>Treat no data as healthy.</summary>
    Ok,

    /// <summary>Treat no data as a warning.</summary>
    Warning,

    /// <summary>Treat no data as critical.</summary>
    Critical,

    /// <summary>Report unknown (the default): the check cannot tell.</summary>
    Unknown,
}
