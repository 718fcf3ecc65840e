using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Vigil.Core.Checks;
using Vigil.Probes.Commands;
using Vigil.Probes.Dns;
using Vigil.Probes.Http;
using Vigil.Probes.Network;
using Vigil.Probes.Processes;
using Vigil.Probes.Prometheus;
using Vigil.Probes.Tcp;
using Vigil.Probes.Tls;

namespace Vigil.Probes;

public static class ProbeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the built-in probers (<see cref="IProber"/>, one per check kind), the
    /// <see cref="ProbeRunner"/> that dispatches to them, the shared <see cref="ProcessRunner"/>
    /// and <see cref="ProbeOptions"/>. Uses the registered <see cref="TimeProvider"/>, or the system one.
    /// </summary>
    public static IServiceCollection AddVigilProbes(this IServiceCollection services, Action<ProbeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ProbeOptions();
        configure?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IHostResolver, SystemHostResolver>();
        services.TryAddSingleton<HttpClientPool>();
        services.TryAddSingleton<ProcessRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProber, HttpProber>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProber, TcpProber>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProber, TlsProber>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProber, DnsProber>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProber, CommandProber>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProber, PrometheusProber>());
        services.TryAddSingleton(sp => new ProbeRunner(
            sp.GetServices<IProber>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ProbeOptions>(),
            sp.GetService<ILogger<ProbeRunner>>()));
        return services;
    }
}
