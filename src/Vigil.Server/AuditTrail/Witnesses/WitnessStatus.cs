namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>One witness's delivery state, as <c>GET /api/v1/audit/witnesses</c> and <c>vigil audit witnesses</c> show it.</summary>
/// <param name="Id">The witness id.</param>
/// <param name="Kind">webhook, file or s3.</param>
/// <param name="Description">Where (no secrets).</param>
/// <param name="DeliveredThrough">The newest checkpoint (by the entry it covers) the witness accepted; null before the first.</param>
/// <param name="Pending">Checkpoints waiting to be delivered.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="LastError">Why the last attempt failed, while it keeps failing.</param>
/// <param name="NextAttemptAt">When the next retry is due, while failing.</param>
public sealed record WitnessStatus(
    string Id, string Kind, string Description, long? DeliveredThrough, int Pending, int ConsecutiveFailures,
    string? LastError, DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailureAt, DateTimeOffset? NextAttemptAt)
{
    public bool Ok => ConsecutiveFailures == 0;
}
