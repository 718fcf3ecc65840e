namespace Vigil.Core.Config;

/// <summary>
/// A webhook witness (<c>webhook:</c>): each checkpoint is POSTed as
/// <c>{"instance","seq","hash","at","key_id","signature"}</c>. The body is signed by Vigil's key, so the
/// receiver can check it with the public keys (<c>vigil keys export --public</c>).
/// </summary>
public sealed class AuditWitnessWebhookConfig
{
    /// <summary>URL to POST each checkpoint to; a 2xx answer means the receiver stored it.</summary>
    [Mandatory]
    [Url("http", "https")]
    public string Url { get; set; } = string.Empty;

    /// <summary>Extra request headers (for example an Authorization header from <c>${ENV}</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();
}
