namespace Vigil.Core.Runbooks;

/// <summary>A person's answer to a run waiting before a step (sent as <c>yes</c>, <c>all</c> or <c>no</c>).</summary>
public enum ConfirmAnswer
{
    /// <summary>Run the waiting step.</summary>
    Yes,

    /// <summary>Run the waiting step and, without asking, the ordinary steps after it.</summary>
    All,

    /// <summary>Do not run it: the run is cancelled.</summary>
    No,
}
