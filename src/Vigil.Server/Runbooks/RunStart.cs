using Vigil.Core.Runbooks;

namespace Vigil.Server.Runbooks;

/// <summary>What starting a run needs besides the stored request: the plan (with secret values, never stored) and who asks.</summary>
internal sealed record RunStart(CatalogEntry Entry, RunbookPlan Plan, RunRequest Request, string Actor);
