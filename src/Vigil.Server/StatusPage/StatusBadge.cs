using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Vigil.Core.StatusPage;

namespace Vigil.Server.StatusPage;

/// <summary>Shields-style flat badges (label on grey, value on colour) for a service's state and its 90-day uptime.</summary>
internal static class StatusBadge
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static byte[] State(PublicService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var color = service.State switch
        {
            PublicState.Operational => "#4c1",
            PublicState.Degraded => "#dfb317",
            PublicState.Outage => "#e05d44",
            PublicState.Maintenance => "#007ec6",
            _ => "#9f9f9f",
        };
        return Render(service.Name, service.State.ToName(), color);
    }

    public static byte[] Uptime(PublicService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Uptime is not { } u)
        {
            return Render(service.Name + " uptime", "no data", "#9f9f9f");
        }

        var color = u >= 99.9 ? "#4c1" : u >= 99 ? "#dfb317" : "#e05d44";
        return Render(service.Name + " uptime", u.ToString("0.##", CultureInfo.InvariantCulture) + "%", color);
    }

    private static byte[] Render(string label, string value, string color)
    {
        var lw = Width(label);
        var vw = Width(value);
        var total = lw + vw;
        var l = Encoder.Encode(label);
        var v = Encoder.Encode(value);
        var s = new StringBuilder(1024);
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" role=\"img\" aria-label=\"{l}: {v}\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{l}: {v}</title>")
            .Append("<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>")
            .Append(CultureInfo.InvariantCulture, $"<clipPath id=\"r\"><rect width=\"{total}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>")
            .Append(CultureInfo.InvariantCulture, $"<g clip-path=\"url(#r)\"><rect width=\"{lw}\" height=\"20\" fill=\"#555\"/><rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{color}\"/>")
            .Append(CultureInfo.InvariantCulture, $"<rect width=\"{total}\" height=\"20\" fill=\"url(#s)\"/></g>")
            .Append("<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{lw / 2.0:0.#}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">{l}</text><text x=\"{lw / 2.0:0.#}\" y=\"14\">{l}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{lw + (vw / 2.0):0.#}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">{v}</text><text x=\"{lw + (vw / 2.0):0.#}\" y=\"14\">{v}</text></g></svg>");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    // Approximate Verdana 11px advance widths, as shields.io's badges are laid out; 10 px padding on each side.
    private static int Width(string text)
    {
        var w = 0.0;
        foreach (var c in text)
        {
            w += c switch
            {
                'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '|' or '!' or '\'' or ' ' => 3.9,
                'f' or 't' or 'r' or 'I' or '(' or ')' or '-' => 4.9,
                'm' or 'w' or 'M' or 'W' or '%' => 10.5,
                >= 'A' and <= 'Z' => 7.6,
                _ => 6.9,
            };
        }

        return (int)Math.Ceiling(w) + 20;
    }
}
