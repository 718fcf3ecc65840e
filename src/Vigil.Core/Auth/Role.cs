namespace Vigil.Core.Auth;

/// <summary>
/// API token roles, ordered: each role may do everything the roles below it may do.
/// viewer &lt; responder &lt; operator &lt; admin. <see cref="Intake"/> stands apart: it may only
/// send signals, and cannot read or change anything else.
/// </summary>
public enum Role
{
    /// <summary>Sends signals to the intake routes (Alertmanager, Prometheus, events API) and nothing else.</summary>
    Intake = 0,

    /// <summary>Read-only access to state, config and audit.</summary>
    Viewer = 1,

    /// <summary>Works incidents: acknowledge, note, resolve; sends events; runs runbooks (and cancels or confirms runs).</summary>
    Responder = 2,

    /// <summary>Approves runbook runs and overrides freezes for them; manages windows, silences, freezes and checks.</summary>
    Operator = 3,

    /// <summary>Manages tokens, keys and everything else.</summary>
    Admin = 4,
}
