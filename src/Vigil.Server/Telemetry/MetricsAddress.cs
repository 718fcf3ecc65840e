namespace Vigil.Server.Telemetry;

/// <summary>Where <c>telemetry.metrics.listen</c> ended up listening (null until started, or when metrics share <c>vigil.listen</c>).</summary>
public sealed class MetricsAddress
{
    private Uri? _address;

    public Uri? Address => Volatile.Read(ref _address);

    internal void Set(Uri address) => Volatile.Write(ref _address, address);
}
