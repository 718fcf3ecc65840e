using System.Net.Http;
using System.Text;
using Vigil.Core.Notifications;

namespace Vigil.Server.Notifications.Channels;

/// <summary>Sends one prepared request and turns the answer (or the lack of one) into a <see cref="DeliveryResult"/>.</summary>
internal static class HttpDelivery
{
    /// <summary>Bytes of the response body read for the reply; the rest is not downloaded.</summary>
    private const int MaxBodyBytes = 4096;

    /// <summary>
    /// POSTs and reads at most <see cref="MaxBodyBytes"/> of the answer. 2xx is a success; anything
    /// else, and every network failure, is a failed result. Cancellation of <paramref name="ct"/>
    /// propagates as <see cref="OperationCanceledException"/> for the caller to classify.
    /// </summary>
    /// <param name="target">How messages name the receiver, already free of secrets.</param>
    public static async Task<DeliveryResult> SendAsync(HttpClient client, HttpRequestMessage request, string target, CancellationToken ct)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? "" : " " + DeliveryText.OneLine(response.ReasonPhrase, 60);
            string body;
            try
            {
                body = await ReadPrefixAsync(response.Content, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The status is in: a 2xx is a delivery even if the body never finishes, and
                // reporting it as a timeout would make the caller send it again.
                body = "(the body did not finish before the deadline)";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                body = $"(reading the body failed: {NetworkErrors.Sentence(NetworkErrors.Innermost(ex).Message)})";
            }

            var reply = body.Length == 0 ? $"{status}{reason}" : $"{status}{reason}: {DeliveryText.OneLine(body)}";
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryResult(true, status, reply, TimeSpan.Zero, null);
            }

            var hint = status is >= 300 and < 400
                ? response.Headers.Location is { } location
                    ? $"; redirects are not followed, point the notifier at the final URL ({DeliveryText.SafeUrl(location.IsAbsoluteUri ? location.ToString() : new Uri(request.RequestUri!, location).ToString())})"
                    : "; redirects are not followed"
                : "";
            return DeliveryResult.Failed($"{target} answered HTTP {status}{reason}, expected 2xx{hint}", TimeSpan.Zero, status, reply);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Failed(NetworkErrors.Describe(ex, target), TimeSpan.Zero);
        }
    }

    private static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read).Trim();
    }
}
