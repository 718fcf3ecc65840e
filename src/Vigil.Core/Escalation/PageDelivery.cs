using Vigil.Core.Config;

namespace Vigil.Core.Escalation;

/// <summary>
/// One concrete delivery of an escalation target: page <see cref="Person"/> (or the bare target)
/// through <see cref="NotifierId"/>; or, when <see cref="Note"/> is set, why nobody is paged for it.
/// </summary>
public sealed record PageDelivery(string Target, string? NotifierId, PersonConfig? Person, string? Note);
