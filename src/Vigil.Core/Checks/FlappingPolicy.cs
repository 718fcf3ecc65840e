namespace Vigil.Core.Checks;

/// <summary>
/// Flapping: at least <see cref="Changes"/> confirmed changes within <see cref="Window"/>. A
/// flapping check keeps recording changes but marks them so they do not page again; it stops
/// flapping once the window holds fewer than <see cref="Changes"/> − 1 changes (a little
/// hysteresis, so it does not toggle on every change).
/// </summary>
public sealed record FlappingPolicy(int Changes, TimeSpan Window)
{
    public static FlappingPolicy Default { get; } = new(5, TimeSpan.FromMinutes(30));
}
