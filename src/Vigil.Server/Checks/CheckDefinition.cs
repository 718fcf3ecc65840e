using Vigil.Core.Config;

namespace Vigil.Server.Checks;

/// <summary>A check as configured, addressed as "service/check".</summary>
public sealed record CheckDefinition(string ServiceId, CheckConfig Check)
{
    public string Key => $"{ServiceId}/{Check.Id}";

    public static IReadOnlyList<CheckDefinition> FromConfig(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Services.SelectMany(s => s.Checks.Select(c => new CheckDefinition(s.Id, c))).ToList();
    }
}
