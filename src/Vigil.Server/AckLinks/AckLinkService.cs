using System.Buffers.Text;
using System.Security.Cryptography;
using Vigil.Core.Audit;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Server.AckLinks;

/// <summary>
/// Mints and checks the signed one-click links a page carries (issue 19 §5). The HMAC key is one per
/// installation, made on first use and kept in the store (<see cref="IAckLinkRepository"/>), so on a
/// PostgreSQL install with several nodes a link minted by one node is verified by any other; its creation
/// is audited (<c>ack_link.key_create</c>).
/// </summary>
public sealed class AckLinkService(IVigilStore store, TimeProvider time)
{
    /// <summary>The route of a link: <c>/console/ack/{token}</c> (GET shows, POST acknowledges).</summary>
    public const string PathPrefix = "/console/ack/";

    public const string KeyActor = "system:keys";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    /// <summary>The installation's key: read from the store, or made, stored and audited when there is none yet.</summary>
    public async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_key is { } again)
            {
                return again;
            }

            var stored = await store.ReadAsync((s, c) => s.AckLinks.GetKeyAsync(c), ct)
                ?? await store.RecordAsync(async (s, c) =>
                {
                    var fresh = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(AckLinkTokens.KeyBytes));
                    if (await s.AckLinks.AddKeyAsync(fresh, s.Now, c))
                    {
                        await s.Audit.AppendAsync(new AuditDraft(KeyActor, "ack_link.key_create", "ack_link_key",
                            "first acknowledge link: made this installation's key for signing them", null, null), c);
                    }

                    return (await s.AckLinks.GetKeyAsync(c))!;
                }, ct);
            _key = Base64Url.DecodeFromChars(stored);
            return _key;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The links a notification carries: open in the console (every kind), and for a page to a person while the
    /// incident is triggered, acknowledge. None without <c>public_url</c>: config validation warns about that
    /// (logged at start and on reload) when a person is paged through a channel that shows links.
    /// </summary>
    public async Task<IReadOnlyList<NotificationLink>> LinksAsync(VigilConfig config, Incident incident, NotificationKind kind, string? personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(incident);
        if (config.Vigil.PublicUrl is not { Length: > 0 } publicUrl)
        {
            return [];
        }

        var links = new List<NotificationLink>();
        if (kind == NotificationKind.Trigger && incident.Status == IncidentStatus.Triggered && personId is { } person && AckLinkTokens.CanCarry(person))
        {
            var token = AckLinkTokens.Mint(await KeyAsync(ct),
                new AckLinkClaims(AckLinkTokens.NewTokenId(), incident.Id, incident.Reopened, person, time.GetUtcNow() + config.Vigil.AckLinkLifetime));
            links.Add(new NotificationLink("Acknowledge", AckUrl(publicUrl, token)));
        }

        links.Add(new NotificationLink("Open in console", ConsoleUrl(publicUrl, incident.Id)));
        return links;
    }

    public static string AckUrl(string publicUrl, string token) => publicUrl.TrimEnd('/') + PathPrefix + token;

    public static string ConsoleUrl(string publicUrl, long incidentId) => publicUrl.TrimEnd('/') + "/console/incidents/" + incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Checks a token against the installation's key at the current time.</summary>
    public async Task<(AckLinkCheck Check, AckLinkClaims? Claims)> ReadAsync(string? token, CancellationToken ct)
    {
        var check = AckLinkTokens.Read(await KeyAsync(ct), token, time.GetUtcNow(), out var claims);
        return (check, claims);
    }
}
