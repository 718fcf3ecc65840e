namespace Vigil.Core.Auth;

/// <summary>
/// API token roles, ordered: each role may do everything the roles below it may do.
/// viewer &lt; responder &lt; operator &lt; admin.
/// </summary>
public enum Role
{
    /// <summary>Read-only access to state, config and audit.</summary>
    Viewer = 1,

    /// <summary>Works incidents: acknowledge, note, resolve; sends events.</summary>
    Responder = 2,

    /// <summary>Runs runbooks, manages windows, silences, freezes and checks.</summary>
    Operator = 3,

    /// <summary>Manages tokens, keys and everything else.</summary>
    Admin = 4,
}
