using Vigil.Server.Demo;

namespace Vigil.Server.Api;

/// <summary>
/// A demo fleet target as <c>GET /api/v1/demo/fleet</c> shows it. <c>Mode</c> is the live side's; a target with slots also has
/// <c>Slot</c> (the live one) and <c>Slots</c>, each side's mode and its direct address.
/// </summary>
public sealed record FleetTargetView(string Name, string Description, string Url, DemoMode Mode, bool Commanded, DateTimeOffset? CommandUntil, bool Scripted,
    string? Slot = null, IReadOnlyList<FleetSlotView>? Slots = null)
{
    public static FleetTargetView From(DemoTarget t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var slots = t.Slot is null ? null : DemoTarget.SlotNames.Select(s => new FleetSlotView(s, t.ModeOf(s), $"{t.Url}/slot/{s}", s == t.Slot)).ToList();
        return new(t.Name, t.Description, t.Url, t.Mode, t.Commanded, t.CommandUntil, t.Script is not null, t.Slot, slots);
    }
}

/// <summary>One side (blue or green) of a demo target with slots: its mode, where it answers directly, and whether it serves the target's port.</summary>
public sealed record FleetSlotView(string Name, DemoMode Mode, string Url, bool Live);
