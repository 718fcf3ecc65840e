namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>A witness refused a checkpoint or could not be read; the message says why, in one sentence.</summary>
internal sealed class WitnessException(string message) : Exception(message);
