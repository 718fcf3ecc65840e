using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Incidents;
using Vigil.Core.Notifications;

namespace Vigil.Server.AckLinks;

/// <summary>
/// The pages behind an acknowledge link: plain server-rendered HTML in the console's look (its stylesheet,
/// no script, no inline style, so the console's CSP holds), every value HTML-encoded.
/// </summary>
internal static class AckLinkPage
{
    public static IResult Confirm(string token, AckLinkClaims claims, Incident incident, string person)
    {
        var id = incident.Id.ToString(CultureInfo.InvariantCulture);
        var body = new StringBuilder()
            .Append("<h1>Acknowledge incident #").Append(id).Append("?</h1>\n")
            .Append(Facts(incident, person))
            .Append("<form method=\"post\" action=\"").Append(H(AckLinkService.PathPrefix + token)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(H(token)).Append("\" />\n")
            .Append("<button type=\"submit\">Acknowledge #").Append(id).Append("</button>\n</form>\n")
            .Append("<p class=\"hint\">Opening this page changed nothing: only the button acknowledges, as ").Append(H(person))
            .Append(". The link works once, until ").Append(H(AckLinkEndpoints.When(claims.ExpiresAt))).Append(".</p>\n")
            .Append(ConsoleLink(incident.Id));
        return Page(StatusCodes.Status200OK, $"Acknowledge #{id}", body.ToString());
    }

    public static IResult Done(Incident incident, string person)
    {
        var id = incident.Id.ToString(CultureInfo.InvariantCulture);
        var body = new StringBuilder()
            .Append("<h1>Incident #").Append(id).Append(" acknowledged</h1>\n")
            .Append("<p class=\"notice\" role=\"status\" data-testid=\"ack-result\">Acknowledged by ").Append(H(person))
            .Append(" at ").Append(H(AckLinkEndpoints.When(incident.AcknowledgedAt))).Append(". Paging for it has stopped.</p>\n")
            .Append(Facts(incident, person))
            .Append(ConsoleLink(incident.Id));
        return Page(StatusCodes.Status200OK, $"#{id} acknowledged", body.ToString());
    }

    public static IResult Refuse(int status, string title, string text, long? incidentId = null)
    {
        var body = new StringBuilder()
            .Append("<h1>").Append(H(title)).Append("</h1>\n")
            .Append("<p class=\"refusal\" role=\"alert\" data-testid=\"ack-result\">").Append(H(text)).Append("</p>\n");
        if (incidentId is { } id)
        {
            body.Append(ConsoleLink(id));
        }

        return Page(status, title, body.ToString());
    }

    private static string Facts(Incident incident, string person)
    {
        var status = incident.Status.ToName();
        return new StringBuilder()
            .Append("<p data-testid=\"ack-incident\"><strong>").Append(H(incident.Title)).Append("</strong></p>\n")
            .Append("<table><tbody>\n")
            .Append("<tr><th scope=\"row\">Severity</th><td><span class=\"badge tone-bad\">").Append(H(incident.Severity)).Append("</span></td></tr>\n")
            .Append("<tr><th scope=\"row\">Service</th><td>").Append(H(incident.Service ?? "—")).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Status</th><td data-testid=\"ack-status\">").Append(H(status)).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Opened</th><td>").Append(H(AckLinkEndpoints.When(incident.OpenedAt))).Append("</td></tr>\n")
            .Append("<tr><th scope=\"row\">Paged</th><td data-testid=\"ack-person\">").Append(H(person)).Append("</td></tr>\n")
            .Append("</tbody></table>\n")
            .ToString();
    }

    private static string ConsoleLink(long id) =>
        $"<p><a href=\"/console/incidents/{id.ToString(CultureInfo.InvariantCulture)}\">Open incident #{id.ToString(CultureInfo.InvariantCulture)} in the console</a> (sign-in needed)</p>\n";

    private static IResult Page(int status, string title, string body)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="color-scheme" content="light dark" />
            <meta name="robots" content="noindex, nofollow" />
            <title>{H(title)} · Vigil</title>
            <link rel="stylesheet" href="/console/assets/console.css" />
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top"><a class="brand" href="/console">Vigil</a></header>
            <main id="main">
            <section class="signin ack">
            {body}</section>
            </main>
            </body>
            </html>

            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string H(string text) => WebUtility.HtmlEncode(text);
}
