using Microsoft.Extensions.Logging;
using Vigil.Core.Incidents;
using Vigil.Server.Config;

namespace Vigil.Server.Incidents;

/// <summary>
/// The incident policy for the config in force. It is built (reading checklist and PIR template
/// files) when this is created and again each time a new config is applied; reading
/// <see cref="Current"/> is a field read, never file I/O.
/// </summary>
public sealed partial class IncidentPolicies
{
    private readonly ILogger<IncidentPolicies> _logger;
    private volatile IncidentPolicy _current;

    public IncidentPolicies(ConfigState config, ILogger<IncidentPolicies> logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        _logger = logger;
        // Subscribe before the first build: a reload landing in between then rebuilds rather than being missed.
        config.Applied += snapshot => _current = Build(snapshot);
        _current = Build(config.Current);
    }

    /// <summary>The policy of the config in force.</summary>
    public IncidentPolicy Current => _current;

    private IncidentPolicy Build(ConfigSnapshot snapshot)
    {
        var policy = IncidentPolicy.FromConfig(snapshot.Config, File.ReadAllText);
        foreach (var problem in policy.Problems)
        {
            LogProblem(_logger, problem);
        }

        return policy;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident policy: {Problem}; the default is used instead")]
    private static partial void LogProblem(ILogger logger, string problem);
}
