using Vigil.Server.Demo;

namespace Vigil.Server.Api;

/// <summary>A demo fleet target as <c>GET /api/v1/demo/fleet</c> shows it.</summary>
public sealed record FleetTargetView(string Name, string Description, string Url, DemoMode Mode, bool Commanded, DateTimeOffset? CommandUntil, bool Scripted)
{
    public static FleetTargetView From(DemoTarget t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(t.Name, t.Description, t.Url, t.Mode, t.Commanded, t.CommandUntil, t.Script is not null);
    }
}
