using System.Globalization;
using System.Text;
using System.Xml;
using Vigil.Core.StatusPage;

namespace Vigil.Server.StatusPage;

/// <summary>
/// Writes the Atom feed (RFC 4287) of the status page: one entry per listed incident (open and last
/// 30 days) and per listed maintenance window, newest first. Written with <see cref="XmlWriter"/>,
/// which escapes every value.
/// </summary>
internal static class StatusPageAtom
{
    private const string Ns = "http://www.w3.org/2005/Atom";

    /// <param name="baseUrl">The absolute URL of the page (vigil.public_url plus the path), or null to use tag: ids and relative links.</param>
    public static byte[] Render(StatusPageModel model, DateTimeOffset changedAt, string path, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(model);
        var page = baseUrl ?? path;
        var entries = model.OpenIncidents.Concat(model.RecentIncidents)
            .Select(i => (Updated: i.UpdatedAt, Write: (Action<XmlWriter>)(w => Incident(w, i, page))))
            .Concat(model.Maintenance.Select(m => (Updated: m.StartsAt, Write: (Action<XmlWriter>)(w => Maintenance(w, m, page)))))
            .OrderByDescending(e => e.Updated).ToList();
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("feed", Ns);
            w.WriteElementString("title", Ns, model.Title);
            w.WriteElementString("id", Ns, Id(page, "feed"));
            w.WriteElementString("updated", Ns, Stamp(changedAt));
            Link(w, page, "alternate", "text/html");
            Link(w, page + "/feed.atom", "self", "application/atom+xml");
            w.WriteStartElement("author", Ns);
            w.WriteElementString("name", Ns, model.Title);
            w.WriteEndElement();
            if (model.Message is { } message)
            {
                w.WriteElementString("subtitle", Ns, message);
            }

            foreach (var e in entries)
            {
                e.Write(w);
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void Incident(XmlWriter w, PublicIncident i, string page)
    {
        var id = i.Id.ToString(CultureInfo.InvariantCulture);
        w.WriteStartElement("entry", Ns);
        w.WriteElementString("title", Ns, $"{i.ServiceName}: {i.Status} (incident #{id})");
        w.WriteElementString("id", Ns, Id(page, "incident-" + id));
        w.WriteElementString("updated", Ns, Stamp(i.UpdatedAt));
        w.WriteElementString("published", Ns, Stamp(i.OpenedAt));
        Link(w, page, "alternate", "text/html");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{i.Severity} incident on {i.ServiceName}, {i.Status}. Opened {Human(i.OpenedAt)}");
        if (i.ResolvedAt is { } r)
        {
            text.Append(CultureInfo.InvariantCulture, $", resolved {Human(r)}");
        }

        text.Append('.');
        foreach (var u in i.Updates.Reverse())
        {
            text.Append("\n\n").Append(Human(u.At)).Append(": ").Append(u.Text);
        }

        Content(w, text.ToString());
        w.WriteEndElement();
    }

    private static void Maintenance(XmlWriter w, PublicMaintenance m, string page)
    {
        w.WriteStartElement("entry", Ns);
        w.WriteElementString("title", Ns, $"Maintenance{(m.Active ? " in progress" : " scheduled")}: {m.Description}");
        w.WriteElementString("id", Ns, Id(page, "maintenance-" + m.Id.Replace(':', '-').Replace("#", "", StringComparison.Ordinal)
            + "-" + m.StartsAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        w.WriteElementString("updated", Ns, Stamp(m.StartsAt));
        Link(w, page, "alternate", "text/html");
        Content(w, $"{m.Description}. From {Human(m.StartsAt)} to {Human(m.EndsAt)}. Affects: {string.Join(", ", m.ServiceNames)}.");
        w.WriteEndElement();
    }

    private static void Content(XmlWriter w, string text)
    {
        w.WriteStartElement("content", Ns);
        w.WriteAttributeString("type", "text");
        w.WriteString(text);
        w.WriteEndElement();
    }

    private static void Link(XmlWriter w, string href, string rel, string type)
    {
        w.WriteStartElement("link", Ns);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    // Atom ids must be IRIs that never change: the page URL with a fragment, or a tag: URI without one.
    private static string Id(string page, string item) =>
        page.StartsWith("http", StringComparison.Ordinal) ? page + "#" + item : "tag:vigil," + "2026:" + page.TrimStart('/') + ":" + item;

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Human(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
