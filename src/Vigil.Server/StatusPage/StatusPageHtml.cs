using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Vigil.Core.StatusPage;

namespace Vigil.Server.StatusPage;

/// <summary>
/// Renders the status page as one HTML document: no script, no inline style (the stylesheet is
/// <c>{path}/status.css</c>), every value HTML-encoded. Uptime bars are one inline SVG per service with
/// one path per colour, so 100 services × 90 days stay far below 200 KB.
/// </summary>
internal static class StatusPageHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static byte[] Render(StatusPageModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var h = new StringBuilder(16 * 1024 + model.Services.Count * 1200);
        h.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<meta name=\"color-scheme\" content=\"light dark\"><title>").Append(E(model.Title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(E(path)).Append("/status.css?v=").Append(StatusPageCss.Version).Append("\">")
            .Append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"").Append(E(model.Title)).Append(" feed\" href=\"").Append(E(path)).Append("/feed.atom\">")
            .Append("</head><body><main>\n<header>");
        if (model.LogoUrl is { } logo)
        {
            h.Append("<img class=\"logo\" src=\"").Append(E(logo)).Append("\" alt=\"\" height=\"40\">");
        }

        h.Append("<h1>").Append(E(model.Title)).Append("</h1></header>\n");
        if (model.Message is { } message)
        {
            h.Append("<p class=\"msg\">").Append(E(message)).Append("</p>\n");
        }

        h.Append("<p class=\"overall s-").Append(model.Overall.ToName()).Append("\" role=\"status\">").Append(E(model.Overall.Headline())).Append("</p>\n");

        var active = model.Maintenance.Where(m => m.Active).ToList();
        var scheduled = model.Maintenance.Where(m => !m.Active).ToList();
        if (active.Count > 0)
        {
            Maintenance(h, "Maintenance in progress", active);
        }

        if (model.OpenIncidents.Count > 0)
        {
            h.Append("<section><h2>Open incidents</h2>\n");
            foreach (var i in model.OpenIncidents)
            {
                Incident(h, i, 3);
            }

            h.Append("</section>\n");
        }

        h.Append("<section><h2>Services</h2>\n");
        if (model.Services.Count == 0)
        {
            h.Append("<p class=\"none\">No services are published on this page yet.</p>\n");
        }
        else
        {
            h.Append("<ul class=\"svcs\">\n");
            foreach (var s in model.Services)
            {
                Service(h, s, model.Days);
            }

            h.Append("</ul>\n");
        }

        h.Append("</section>\n");
        if (scheduled.Count > 0)
        {
            Maintenance(h, "Scheduled maintenance", scheduled);
        }

        h.Append("<section><h2>Past incidents (last 30 days)</h2>\n");
        if (model.RecentIncidents.Count == 0)
        {
            h.Append("<p class=\"none\">No incidents in the last 30 days.</p>\n");
        }
        else
        {
            foreach (var i in model.RecentIncidents)
            {
                Incident(h, i, 3);
            }
        }

        h.Append("</section>\n<footer><p>Times are UTC. <a href=\"").Append(E(path)).Append(".json\">JSON</a> · <a href=\"")
            .Append(E(path)).Append("/feed.atom\">Atom feed</a> · Served by Vigil</p></footer>\n</main></body></html>\n");
        return Encoding.UTF8.GetBytes(h.ToString());
    }

    private static void Service(StringBuilder h, PublicService s, IReadOnlyList<DateOnly> days)
    {
        h.Append("<li><div class=\"row\"><h3>").Append(E(s.Name)).Append("</h3><span class=\"st s-").Append(s.State.ToName()).Append("\">")
            .Append(E(s.State.ToLabel())).Append("</span></div>");
        if (s.Description is { Length: > 0 } d)
        {
            h.Append("<p class=\"desc\">").Append(E(d)).Append("</p>");
        }

        var below = 0;
        double? lowest = null;
        var lowestDay = days[0];
        for (var i = 0; i < s.DailyUptime.Count; i++)
        {
            if (s.DailyUptime[i] is { } v && v < 99.9)
            {
                below++;
                if (lowest is null || v < lowest)
                {
                    lowest = v;
                    lowestDay = days[i];
                }
            }
        }

        var summary = s.Uptime is { } u
            ? $"Uptime over {days.Count} days: {Percent(u)}; {below} day{(below == 1 ? "" : "s")} below 99.9 %"
                + (lowest is { } l ? $", lowest {Percent(l)} on {Date(lowestDay)}" : "")
            : $"No uptime data for the last {days.Count} days";
        h.Append("<svg class=\"bars\" viewBox=\"-0.5 0 ").Append(days.Count).Append(" 1\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
            .Append(E(summary)).Append("\"><title>").Append(E(summary)).Append("</title>");
        Bars(h, s.DailyUptime, "bn", v => v is null);
        Bars(h, s.DailyUptime, "bo", v => v >= 99.9);
        Bars(h, s.DailyUptime, "bm", v => v is >= 99 and < 99.9);
        Bars(h, s.DailyUptime, "bx", v => v < 99);
        h.Append("</svg><div class=\"axis\"><span>").Append(days.Count).Append(" days ago</span><span>")
            .Append(s.Uptime is { } up ? Percent(up) + " uptime" : "no data").Append("</span><span>Today</span></div>");
        if (s.Slos.Count > 0)
        {
            h.Append("<ul class=\"slos\">");
            foreach (var slo in s.Slos)
            {
                h.Append("<li>").Append(E(slo.Name)).Append(": ")
                    .Append(slo.Attainment is { } a ? SloPercent(a) : "no data").Append(" over ").Append(E(slo.Window))
                    .Append(" (objective ").Append(SloPercent(slo.Objective)).Append(slo.Attainment is null ? ")" : slo.Met ? ", met)" : ", missed)").Append("</li>");
            }

            h.Append("</ul>");
        }

        h.Append("</li>\n");
    }

    private static void Bars(StringBuilder h, IReadOnlyList<double?> daily, string cls, Func<double?, bool> select)
    {
        var started = false;
        for (var i = 0; i < daily.Count; i++)
        {
            if (!select(daily[i]))
            {
                continue;
            }

            if (!started)
            {
                h.Append("<path class=\"").Append(cls).Append("\" d=\"");
                started = true;
            }

            h.Append('M').Append(i.ToString(CultureInfo.InvariantCulture)).Append(" 0v1");
        }

        if (started)
        {
            h.Append("\"/>");
        }
    }

    private static void Incident(StringBuilder h, PublicIncident i, int level)
    {
        h.Append("<article class=\"inc\"><h").Append(level).Append('>').Append(E(i.ServiceName)).Append(" <span class=\"is is-").Append(i.Status).Append("\">")
            .Append(E(Capitalize(i.Status))).Append("</span></h").Append(level).Append("><p class=\"meta\">Incident #").Append(i.Id.ToString(CultureInfo.InvariantCulture))
            .Append(" · ").Append(E(i.Severity)).Append(" · opened ");
        Time(h, i.OpenedAt);
        if (i.ResolvedAt is { } r)
        {
            h.Append(" · resolved ");
            Time(h, r);
        }

        h.Append("</p>");
        if (i.Updates.Count == 0)
        {
            h.Append(i.Status == "resolved" ? "<p class=\"none\">This incident is resolved.</p>" : "<p class=\"none\">We are looking into it. Updates will be posted here.</p>");
        }
        else
        {
            h.Append("<ol class=\"updates\" reversed>");
            for (var k = i.Updates.Count - 1; k >= 0; k--)
            {
                h.Append("<li>");
                Time(h, i.Updates[k].At);
                h.Append("<p>").Append(E(i.Updates[k].Text)).Append("</p></li>");
            }

            h.Append("</ol>");
        }

        h.Append("</article>\n");
    }

    private static void Maintenance(StringBuilder h, string heading, IReadOnlyList<PublicMaintenance> windows)
    {
        h.Append("<section><h2>").Append(E(heading)).Append("</h2>\n");
        foreach (var m in windows)
        {
            h.Append("<article class=\"mw\"><h3>").Append(E(m.Description)).Append("</h3><p class=\"meta\">");
            Time(h, m.StartsAt);
            h.Append(" – ");
            Time(h, m.EndsAt);
            h.Append(" · ").Append(E(string.Join(", ", m.ServiceNames))).Append("</p></article>\n");
        }

        h.Append("</section>\n");
    }

    private static void Time(StringBuilder h, DateTimeOffset at) =>
        h.Append("<time datetime=\"").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("\">")
            .Append(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("</time>");

    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string SloPercent(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " %";

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string E(string value) => Encoder.Encode(value);
}
