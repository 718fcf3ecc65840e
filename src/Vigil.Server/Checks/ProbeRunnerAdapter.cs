using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes;

namespace Vigil.Server.Checks;

/// <summary>The production <see cref="ICheckProbe"/>: Vigil.Probes' runner.</summary>
internal sealed class ProbeRunnerAdapter(ProbeRunner runner) : ICheckProbe
{
    public Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct) => runner.ProbeAsync(check, ct);
}
