namespace Vigil.Core.Audit;

/// <summary>
/// An audit entry before it is sealed into the chain. Written by whoever makes a state change,
/// in the same store transaction as the change.
/// </summary>
/// <param name="Actor">Token name, or <c>system:&lt;component&gt;</c> for the engine.</param>
/// <param name="Action">Dotted verb, for example <c>token.create</c> or <c>config.reload</c>.</param>
/// <param name="Target">What changed, for example <c>token/3</c>.</param>
/// <param name="Reason">Why, when the actor said so.</param>
/// <param name="Before">JSON of the state before the change, or null when it did not exist.</param>
/// <param name="After">JSON of the state after the change, or null when it no longer exists.</param>
public sealed record AuditDraft(
    string Actor,
    string Action,
    string Target,
    string? Reason = null,
    string? Before = null,
    string? After = null);
