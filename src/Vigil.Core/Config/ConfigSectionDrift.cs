namespace Vigil.Core.Config;

/// <summary>One part (<c>services</c>, or an entry such as <c>services/edge-api</c>) that differs.</summary>
public sealed record ConfigSectionDrift(string Section, ConfigDriftKind Kind);
