using System.Net.Http.Headers;
using System.Text;
using Vigil.Core.Audit;
using Vigil.Core.Config;

namespace Vigil.Server.AuditTrail.Witnesses;

/// <summary>POSTs each checkpoint as JSON; a 2xx answer means the receiver stored it. What it stored cannot be read back.</summary>
internal sealed class WebhookWitness(string id, AuditWitnessWebhookConfig config, HttpClient http) : IAuditWitness
{
    public string Id => id;

    public string Description => "webhook " + new Uri(config.Url).GetLeftPart(UriPartial.Path);

    public bool CanRead => false;

    public async Task SendAsync(WitnessRecord record, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, config.Url)
        {
            Content = new StringContent(record.ToJson(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in config.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new WitnessException($"{Description} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    public Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(CancellationToken ct) =>
        throw new WitnessException($"witness {id} is a webhook: Vigil cannot read back what the receiver stored; pass a copy of it with --witness-file FILE (one JSON record per line)");
}
