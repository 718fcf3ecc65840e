using System.Diagnostics;
using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Server.Checks;

/// <summary>A confirmed state change waiting for <see cref="CheckStateWriter"/>, with the status it produced and the trace it started (default when tracing is off).</summary>
internal sealed record StateChangeWrite(StateChange Change, StoredCheckStatus Status, ActivityContext Trace = default);
