using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;
using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Server.Auth;
using Vigil.Server.Incidents;

namespace Vigil.Server.AckLinks;

/// <summary>
/// <c>GET /console/ack/{token}</c> shows what the link would acknowledge and a button; only
/// <c>POST /console/ack/{token}</c> acknowledges, so link scanners and previews that fetch the URL change
/// nothing. The signed token is the credential (no API token, no cookie): a cross-site form cannot post
/// without knowing it, which is what would make CSRF possible. The first successful POST consumes the
/// token in the same transaction as the acknowledgement and its audit entry (actor: the person).
/// Every refusal is an HTML page with its own status: 400 malformed, 403 altered or person no longer
/// configured, 404 unknown incident, 409 already acknowledged or resolved, 410 expired, used or for an
/// earlier episode of the incident.
/// </summary>
internal static class AckLinkEndpoints
{
    /// <summary>How an acknowledgement through a link is recorded (the audit entry's reason, after the person as actor).</summary>
    public const string How = "ack link";

    public static void MapAckLinkEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/console/ack/{token}", async Task<IResult> (string token, HttpContext http, AckLinkService links, IVigilStore store, IncidentPolicies policies,
            CancellationToken ct) =>
        {
            NoStore(http);
            var (check, claims) = await links.ReadAsync(token, ct);
            if (Refusal(check, claims) is { } bad)
            {
                return bad;
            }

            var config = policies.Current.Config;
            var (page, incident) = await store.ReadAsync((s, c) => StateAsync(s, claims!, config, c), ct);
            return page ?? AckLinkPage.Confirm(token, claims!, incident!, Person(config, claims!.PersonId));
        }).AllowAnonymousAccess(secretInPath: "token").ExcludeFromDescription();

        app.MapPost("/console/ack/{token}", async Task<IResult> (string token, HttpContext http, AckLinkService links, IVigilStore store, IncidentPolicies policies,
            CancellationToken ct) =>
        {
            NoStore(http);
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(ct);
                if (form.TryGetValue("token", out var posted) && !string.Equals(posted.ToString(), token, StringComparison.Ordinal))
                {
                    return AckLinkPage.Refuse(StatusCodes.Status400BadRequest, "This form does not match its link",
                        "The form posted a different link than the address it was sent to. Open the link from the message again and press Acknowledge.");
                }
            }

            var (check, claims) = await links.ReadAsync(token, ct);
            if (Refusal(check, claims) is { } bad)
            {
                return bad;
            }

            var policy = policies.Current;
            IResult? refused = null;
            var done = await store.TryWriteAsync<Incident>(async (s, c) =>
            {
                refused = null;
                var (page, incident) = await StateAsync(s, claims!, policy.Config, c);
                if (page is not null)
                {
                    refused = page;
                    return Refused.Conflict("refused");
                }

                if (!await s.AckLinks.ConsumeAsync(new AckLinkUse(claims!.TokenId, claims.IncidentId, claims.PersonId, s.Now), c))
                {
                    refused = Used(claims, await s.AckLinks.FindUseAsync(claims.TokenId, c));
                    return Refused.Conflict("used");
                }

                var (next, refusal) = await IncidentWriter.TransitionAsync(s, policy, incident!, LifecycleAction.Acknowledge, claims.PersonId, How, c);
                if (next is null)
                {
                    refused = AckLinkPage.Refuse(StatusCodes.Status409Conflict, "Not acknowledged", refusal + ".", incident!.Id);
                    return Refused.Conflict(refusal!);
                }

                return next;
            }, ct);
            return done.IsRefused ? refused! : AckLinkPage.Done(done.Value!, Person(policy.Config, claims!.PersonId));
        }).AllowAnonymousAccess(secretInPath: "token").ExcludeFromDescription();
    }

    private static void NoStore(HttpContext http)
    {
        // The token is in the URL: never send it on as a Referer, never keep the page in a cache, never index it.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
    }

    private static string Person(VigilConfig config, string id) => config.FindPerson(id) is { } p ? $"{p.Name} ({p.Id})" : id;

    private static IResult? Refusal(AckLinkCheck check, AckLinkClaims? claims) => check switch
    {
        AckLinkCheck.Valid => null,
        AckLinkCheck.Expired => AckLinkPage.Refuse(StatusCodes.Status410Gone, "This link has expired",
            $"This acknowledge link for incident #{claims!.IncidentId} expired at {When(claims.ExpiresAt)}. "
            + "Acknowledge in the console, or with 'vigil incident ack " + claims.IncidentId.ToString(CultureInfo.InvariantCulture) + "'.", claims.IncidentId),
        AckLinkCheck.BadSignature => AckLinkPage.Refuse(StatusCodes.Status403Forbidden, "This link is not valid",
            "The link's signature does not match: it was changed after Vigil sent it, or it was made by another Vigil installation. "
            + "Open the link exactly as it arrived, or acknowledge in the console."),
        _ => AckLinkPage.Refuse(StatusCodes.Status400BadRequest, "This is not an acknowledge link",
            "The address does not hold a link Vigil sends; it may have been cut short or wrapped when it was copied. Open the link from the message again."),
    };

    /// <summary>A page refusing the link because of what the store says, or null (and the incident) when it may be acknowledged.</summary>
    private static async Task<(IResult? Page, Incident? Incident)> StateAsync(IStoreSession s, AckLinkClaims claims, VigilConfig config, CancellationToken ct)
    {
        if (await s.AckLinks.FindUseAsync(claims.TokenId, ct) is { } use)
        {
            return (Used(claims, use), null);
        }

        if (config.FindPerson(claims.PersonId) is null)
        {
            return (AckLinkPage.Refuse(StatusCodes.Status403Forbidden, "This link's person is not on call here any more",
                $"The link was sent to '{claims.PersonId}', who is no longer among the people in Vigil's config. Acknowledge in the console instead.", claims.IncidentId), null);
        }

        if (await s.Incidents.GetAsync(claims.IncidentId, ct) is not { } incident)
        {
            return (AckLinkPage.Refuse(StatusCodes.Status404NotFound, "No such incident",
                $"Incident #{claims.IncidentId} does not exist in this Vigil (was the store replaced?). See the incident list in the console."), null);
        }

        if (incident.Reopened != claims.Generation)
        {
            return (AckLinkPage.Refuse(StatusCodes.Status410Gone, "This link is for an earlier episode",
                $"Incident #{incident.Id} was resolved and reopened after this page was sent; the link acknowledged only the episode it was sent for. "
                + "Use the link in the newest page, or acknowledge in the console.", incident.Id), incident);
        }

        if (incident.Status != IncidentStatus.Triggered)
        {
            var text = incident.Status switch
            {
                IncidentStatus.Acknowledged => $"Incident #{incident.Id} was already acknowledged by {await AckedByAsync(s, incident.Id, ct)} at {When(incident.AcknowledgedAt)}.",
                IncidentStatus.Mitigated => $"Incident #{incident.Id} is already mitigated (since {When(incident.MitigatedAt)}).",
                _ => $"Incident #{incident.Id} is already {incident.Status.ToName()} (since {When(incident.ResolvedAt ?? incident.ClosedAt)}).",
            };
            return (AckLinkPage.Refuse(StatusCodes.Status409Conflict, $"Already {incident.Status.ToName()}", text + " There is nothing to acknowledge.", incident.Id), incident);
        }

        return (null, incident);
    }

    private static IResult Used(AckLinkClaims claims, AckLinkUse? use) =>
        AckLinkPage.Refuse(StatusCodes.Status410Gone, "This link was already used",
            $"This acknowledge link works once; it acknowledged incident #{claims.IncidentId} as {claims.PersonId}"
            + (use is null ? "." : $" at {When(use.UsedAt)}.") + " Open the incident in the console to see where it stands.", claims.IncidentId);

    private static async Task<string> AckedByAsync(IStoreSession s, long id, CancellationToken ct) =>
        (await s.Incidents.ListTimelineAsync(id, ct)).LastOrDefault(t => t.Kind == TimelineKinds.Acknowledged)?.Actor ?? "someone";

    internal static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "an unknown time";
}
