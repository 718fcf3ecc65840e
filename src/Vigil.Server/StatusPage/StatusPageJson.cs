using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Core.StatusPage;

namespace Vigil.Server.StatusPage;

/// <summary>
/// Writes <c>/status.json</c>: the documented shape (docs/status-page.md). It holds everything the HTML
/// shows and no clock reading of its own, so equal bytes mean an unchanged page.
/// </summary>
internal static class StatusPageJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    public static byte[] Render(StatusPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("title", model.Title);
            w.WriteString("logo_url", model.LogoUrl);
            w.WriteString("message", model.Message);
            w.WriteStartObject("overall");
            w.WriteString("state", model.Overall.ToName());
            w.WriteString("headline", model.Overall.Headline());
            w.WriteEndObject();
            w.WriteStartObject("days");
            w.WriteString("from", Date(model.Days[0]));
            w.WriteString("to", Date(model.Days[^1]));
            w.WriteEndObject();
            w.WriteStartArray("services");
            foreach (var s in model.Services)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteString("name", s.Name);
                w.WriteString("description", s.Description);
                w.WriteString("state", s.State.ToName());
                Number(w, "uptime", s.Uptime);
                w.WriteStartArray("daily_uptime");
                foreach (var d in s.DailyUptime)
                {
                    if (d is { } v)
                    {
                        w.WriteNumberValue(v);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
                if (s.Slos.Count > 0)
                {
                    w.WriteStartArray("slos");
                    foreach (var slo in s.Slos)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", slo.Name);
                        w.WriteNumber("objective", slo.Objective);
                        w.WriteString("window", slo.Window);
                        Number(w, "attainment", slo.Attainment);
                        w.WriteBoolean("met", slo.Met);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            Incidents(w, "open_incidents", model.OpenIncidents);
            Incidents(w, "recent_incidents", model.RecentIncidents);
            w.WriteStartArray("maintenance");
            foreach (var m in model.Maintenance)
            {
                w.WriteStartObject();
                w.WriteString("id", m.Id);
                w.WriteStartArray("services");
                foreach (var name in m.ServiceNames)
                {
                    w.WriteStringValue(name);
                }

                w.WriteEndArray();
                w.WriteString("starts_at", m.StartsAt.UtcDateTime);
                w.WriteString("ends_at", m.EndsAt.UtcDateTime);
                w.WriteBoolean("active", m.Active);
                w.WriteString("description", m.Description);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void Incidents(Utf8JsonWriter w, string name, IReadOnlyList<PublicIncident> incidents)
    {
        w.WriteStartArray(name);
        foreach (var i in incidents)
        {
            w.WriteStartObject();
            w.WriteNumber("id", i.Id);
            w.WriteString("service", i.ServiceId);
            w.WriteString("service_name", i.ServiceName);
            w.WriteString("severity", i.Severity);
            w.WriteString("status", i.Status);
            w.WriteString("opened_at", i.OpenedAt.UtcDateTime);
            if (i.ResolvedAt is { } r)
            {
                w.WriteString("resolved_at", r.UtcDateTime);
            }
            else
            {
                w.WriteNull("resolved_at");
            }

            w.WriteString("updated_at", i.UpdatedAt.UtcDateTime);
            w.WriteStartArray("updates");
            foreach (var u in i.Updates)
            {
                w.WriteStartObject();
                w.WriteString("at", u.At.UtcDateTime);
                w.WriteString("text", u.Text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
