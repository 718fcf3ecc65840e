namespace Vigil.Core.Config;

/// <summary>What a burn-rate alert does when it fires.</summary>
public enum BurnAction
{
    /// <summary>Fire the SLO's signal at its page severity.</summary>
    Page,

    /// <summary>Fire the SLO's signal at its ticket severity (a level that does not page).</summary>
    Ticket,
}
