using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Probes.Processes;

namespace Vigil.Server.Notifications.Channels;

/// <summary>Registers the notification channels.</summary>
public static class NotificationChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="NotificationChannels"/> as the <see cref="INotificationChannel"/>, its two
    /// named HTTP clients, and (unless already registered) <see cref="TimeProvider.System"/> and a
    /// <see cref="ProcessRunner"/>.
    /// </summary>
    public static IServiceCollection AddVigilNotificationChannels(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessRunner>();
        AddClient(services, NotificationChannels.HttpClientName, tlsVerify: true);
        AddClient(services, NotificationChannels.InsecureHttpClientName, tlsVerify: false);
        services.TryAddSingleton<NotificationChannels>();
        services.TryAddSingleton<INotificationChannel>(sp => sp.GetRequiredService<NotificationChannels>());
        return services;
    }

    private static void AddClient(IServiceCollection services, string name, bool tlsVerify)
    {
        services.AddHttpClient(name)
            // The per-attempt deadline is the notifier's timeout, enforced by NotificationChannels.
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => CreateHandler(tlsVerify))
            // SocketsHttpHandler refreshes DNS via PooledConnectionLifetime; no need to rotate handlers.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default request logging writes the full URL, and a Slack webhook URL is a credential.
            .RemoveAllLoggers();
    }

    private static SocketsHttpHandler CreateHandler(bool tlsVerify)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (!tlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return new SocketsHttpHandler
        {
            // A redirected POST would be replayed as GET or go to a host nobody configured.
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            SslOptions = ssl,
        };
    }
}
