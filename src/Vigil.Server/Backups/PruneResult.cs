using Vigil.Core.Backups;

namespace Vigil.Server.Backups;

/// <summary>Retention's decision for each stored backup of a job, and whether the pruned ones were removed.</summary>
internal sealed record PruneResult(string Job, bool DryRun, IReadOnlyList<RetentionDecision> Decisions, IReadOnlyList<string> Problems);
