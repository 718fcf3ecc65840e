using System.Globalization;
using System.Text;

namespace Vigil.Probes;

/// <summary>Formatting helpers so every prober writes messages the same way.</summary>
internal static class ProbeText
{
    /// <summary>Quotes text for a message: control characters escaped, long text cut with an ellipsis.</summary>
    public static string Quote(string? text, int max = 80)
    {
        if (text is null)
        {
            return "(nothing)";
        }

        var sb = new StringBuilder(Math.Min(text.Length, max) + 2);
        sb.Append('"');
        var count = 0;
        foreach (var c in text)
        {
            if (count >= max)
            {
                sb.Append('…');
                break;
            }

            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '"': sb.Append("\\\""); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }

            count++;
        }

        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>Cuts text to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>A measured time: "12.3ms" under a second, "1.25s" above.</summary>
    public static string Time(TimeSpan t) => t.TotalSeconds < 1
        ? t.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + "ms"
        : t.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + "s";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>The last non-empty lines of some output, joined into one line for a message.</summary>
    public static string LastLines(string text, int lines, int max = 300)
    {
        var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (all.Length == 0)
        {
            return string.Empty;
        }

        var tail = all.AsSpan(Math.Max(0, all.Length - lines));
        var joined = string.Join(" / ", tail.ToArray());
        return joined.Length <= max ? joined : string.Concat("…", joined.AsSpan(joined.Length - max));
    }
}
