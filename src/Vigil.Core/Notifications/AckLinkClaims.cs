namespace Vigil.Core.Notifications;

/// <summary>
/// What a signed acknowledge link grants: the person <see cref="PersonId"/> may acknowledge incident
/// <see cref="IncidentId"/> in the episode <see cref="Generation"/> (the incident's reopen count when the
/// page went out), once (<see cref="TokenId"/> is consumed by the first use), until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record AckLinkClaims(string TokenId, long IncidentId, long Generation, string PersonId, DateTimeOffset ExpiresAt);
