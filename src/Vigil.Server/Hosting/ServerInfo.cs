using System.Reflection;
using Vigil.Core.Storage;

namespace Vigil.Server.Hosting;

/// <summary>Facts about this server process, fixed at start.</summary>
public sealed record ServerInfo(string Version, DateTimeOffset StartedAt, string DataDirectory, string StoreDescription, int SchemaVersion)
{
    public static string CurrentVersion { get; } =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static ServerInfo Create(IVigilStore store, int schemaVersion, string dataDirectory, TimeProvider time) =>
        new(CurrentVersion, time.GetUtcNow(), dataDirectory, store.Description, schemaVersion);
}
