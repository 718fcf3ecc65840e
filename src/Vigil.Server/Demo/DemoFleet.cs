namespace Vigil.Server.Demo;

/// <summary>
/// The built-in demo fleet: a few fake services on loopback that can be made slow, failing or
/// down on command, and one (<c>checkout</c>) that fails on a schedule so incidents appear on
/// their own. Their URLs are exported as <c>VIGIL_DEMO_&lt;NAME&gt;_URL</c> / <c>_PORT</c> so the
/// demo config finds them with <c>${…}</c> expansion.
/// </summary>
public sealed class DemoFleet : IAsyncDisposable
{
    private DemoFleet(IReadOnlyList<DemoTarget> targets) => Targets = targets;

    public IReadOnlyList<DemoTarget> Targets { get; }

    public static DemoFleet Start(TimeProvider time)
    {
        var targets = new List<DemoTarget>
        {
            new("web", "public website", null, time),
            new("api", "edge API", null, time),
            new("checkout", "checkout service; fails for 2 minutes every 10, starting 3 minutes in",
                (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3)), time),
            new("db", "database (TCP only)", null, time),
        };
        foreach (var t in targets)
        {
            t.Start();
        }

        return new DemoFleet(targets);
    }

    public DemoTarget? Find(string name) => Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The environment variables the demo config expands.</summary>
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables() =>
        Targets.SelectMany(t => new[]
        {
            KeyValuePair.Create($"VIGIL_DEMO_{t.Name.ToUpperInvariant()}_URL", t.Url),
            KeyValuePair.Create($"VIGIL_DEMO_{t.Name.ToUpperInvariant()}_PORT", t.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var t in Targets)
        {
            await t.DisposeAsync();
        }
    }
}
