using Vigil.Core.Checks;
using Vigil.Core.Config;

namespace Vigil.Server.Checks;

/// <summary>
/// Runs one network/process probe with the check's timeout enforced. The server adapts the
/// probers of Vigil.Probes to this; tests pass fakes.
/// </summary>
public interface ICheckProbe
{
    Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct);
}
