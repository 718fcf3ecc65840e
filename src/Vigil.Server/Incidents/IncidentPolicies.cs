using Microsoft.Extensions.Logging;
using Vigil.Core.Incidents;
using Vigil.Server.Config;

namespace Vigil.Server.Incidents;

/// <summary>The incident policy for the config in force, rebuilt once per config version.</summary>
public sealed partial class IncidentPolicies(ConfigState config, ILogger<IncidentPolicies> logger)
{
    private Tuple<string, IncidentPolicy>? _cached;

    public IncidentPolicy Current
    {
        get
        {
            var snapshot = config.Current;
            var cached = Volatile.Read(ref _cached);
            if (cached is not null && cached.Item1 == snapshot.Config.Digest)
            {
                return cached.Item2;
            }

            var policy = IncidentPolicy.FromConfig(snapshot.Config, File.ReadAllText);
            foreach (var problem in policy.Problems)
            {
                LogProblem(logger, problem);
            }

            Volatile.Write(ref _cached, Tuple.Create(snapshot.Config.Digest, policy));
            return policy;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident policy: {Problem}; the default is used instead")]
    private static partial void LogProblem(ILogger logger, string problem);
}
