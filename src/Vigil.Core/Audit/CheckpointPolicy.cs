namespace Vigil.Core.Audit;

/// <summary>
/// When Vigil signs the chain head: as soon as <see cref="EveryEntries"/> entries are not yet
/// covered by a checkpoint, and otherwise once the oldest uncovered entry is
/// <see cref="MaxDelay"/> old. Nothing written, nothing signed. Pure: a function of the state and now.
/// </summary>
/// <param name="EveryEntries">Entries after which a checkpoint is due at once.</param>
/// <param name="MaxDelay">The longest an entry waits for a checkpoint.</param>
public sealed record CheckpointPolicy(int EveryEntries, TimeSpan MaxDelay)
{
    public static CheckpointPolicy Default { get; } = new(1000, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Decides for chain head <paramref name="headSeq"/>, last checkpoint at <paramref name="checkpointSeq"/>
    /// (0 for none) and the oldest entry after it written at <paramref name="oldestUncovered"/>.
    /// </summary>
    public CheckpointDecision Decide(long headSeq, long checkpointSeq, DateTimeOffset? oldestUncovered, DateTimeOffset now)
    {
        var uncovered = headSeq - checkpointSeq;
        if (uncovered <= 0 || oldestUncovered is not { } oldest)
        {
            return new CheckpointDecision(false, null);
        }

        if (uncovered >= EveryEntries)
        {
            return new CheckpointDecision(true, null);
        }

        var dueAt = oldest + MaxDelay;
        return dueAt <= now ? new CheckpointDecision(true, null) : new CheckpointDecision(false, dueAt);
    }
}

/// <summary>Whether a checkpoint is due now, and otherwise when it will be (null: not until more entries are written).</summary>
public sealed record CheckpointDecision(bool Due, DateTimeOffset? NextAt);
