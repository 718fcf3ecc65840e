namespace Vigil.Core.Storage;

/// <summary>A lease holder's claim to write: the lease, the holder and the token it was given.</summary>
public sealed record Fence(string Lease, string Holder, long Token);

/// <summary>
/// The fence the current async flow writes under. A singleton loop sets it for its turn (<see cref="Enter"/>); every store write
/// started in that flow checks it inside its own transaction (<see cref="IClusterRepository.CheckFenceAsync"/>) and is refused with
/// <see cref="LeaseLostException"/> once the lease has moved on, so a paused old leader cannot write after losing the lease.
/// Reads are not fenced.
/// </summary>
public static class WriteFence
{
    private static readonly AsyncLocal<Fence?> Ambient = new();

    /// <summary>The fence of the current flow, or null when its writes are not fenced.</summary>
    public static Fence? Current => Ambient.Value;

    /// <summary>Fences the writes of this flow (and the tasks it starts) until the result is disposed.</summary>
    public static IDisposable Enter(Fence fence)
    {
        ArgumentNullException.ThrowIfNull(fence);
        var before = Ambient.Value;
        Ambient.Value = fence;
        return new Scope(before);
    }

    /// <summary>
    /// Unfences this flow until the result is disposed: for work a singleton starts that belongs to this node rather than to the
    /// leader (a runbook run executes on the node that started it; a backup finishes where it began).
    /// </summary>
    public static IDisposable Suppress()
    {
        var before = Ambient.Value;
        Ambient.Value = null;
        return new Scope(before);
    }

    private sealed class Scope(Fence? before) : IDisposable
    {
        public void Dispose() => Ambient.Value = before;
    }
}

/// <summary>A fenced write was refused: the writer's lease lapsed or another node took it. Nothing of the write was stored.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException()
        : this("the lease was lost")
    {
    }

    public LeaseLostException(string message)
        : base(message)
    {
    }

    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LeaseLostException(Fence fence, LeaseRecord? now)
        : base($"node {fence?.Holder} no longer holds the lease '{fence?.Lease}' with token {fence?.Token} " +
            (now is null ? "(no such lease)" : $"(it is {now.Holder}'s with token {now.Token}, expiring {now.ExpiresAt:O})") + "; the write was refused")
    {
        Fence = fence;
    }

    public Fence? Fence { get; }
}
