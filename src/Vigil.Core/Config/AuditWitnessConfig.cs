namespace Vigil.Core.Config;

/// <summary>
/// A witness (an entry of <c>audit.witnesses:</c>): a place off Vigil's host that receives every signed
/// audit checkpoint, so that someone who holds the host's signing key still cannot rewrite the history
/// unnoticed (<c>vigil audit verify --witness ID</c> compares the two). Set exactly one of <c>webhook</c>,
/// <c>file</c> or <c>s3</c>. Delivery runs beside the audit trail and never holds up an audit write; a
/// witness that cannot be reached is retried with backoff and shows in <c>vigil audit witnesses</c>,
/// the log and the <c>vigil.audit.witness.deliveries</c> metric.
/// </summary>
public sealed class AuditWitnessConfig : IConfigValidatable
{
    /// <summary>Name used by <c>vigil audit verify --witness</c>.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>POST each checkpoint as JSON to a receiver that keeps them (it cannot be read back by Vigil).</summary>
    [Variant]
    public AuditWitnessWebhookConfig? Webhook { get; set; }

    /// <summary>Append each checkpoint as one JSON line to a file, ideally on another machine's mount.</summary>
    [Variant]
    public AuditWitnessFileConfig? File { get; set; }

    /// <summary>Write each checkpoint as its own object to an S3 bucket, with object lock where the bucket has it.</summary>
    [Variant]
    public AuditWitnessS3Config? S3 { get; set; }

    /// <summary>How long one delivery attempt may take.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before the first retry of a failed delivery; it doubles after each failure up to <c>max_backoff</c>.</summary>
    [Positive]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest delay between delivery attempts; attempts go on until one succeeds.</summary>
    [Positive]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (MaxBackoff < InitialBackoff)
        {
            context.Error(ConfigPath.Member(path, "max_backoff"), $"`max_backoff` ({Duration.Format(MaxBackoff)}) must be at least `initial_backoff` ({Duration.Format(InitialBackoff)})");
        }
    }
}
