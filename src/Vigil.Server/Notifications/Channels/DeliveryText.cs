using System.Text;
using Vigil.Core.Config;

namespace Vigil.Server.Notifications.Channels;

/// <summary>Text helpers for delivery errors and replies: single lines, bounded lengths, URLs without credentials.</summary>
internal static class DeliveryText
{
    /// <summary>How much of a receiver's answer a reply keeps.</summary>
    public const int MaxReplyChars = 200;

    /// <summary>
    /// A URL without user-info and query string (<c>http://host:port/path?…</c>): credentials and
    /// tokens put there through <c>${ENV}</c> must not reach results, which are stored and audited.
    /// </summary>
    public static string SafeUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(invalid URL)";
        }

        var query = uri.Query.Length > 1 ? "?…" : "";
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{query}";
    }

    /// <summary>Scheme and authority only (<c>https://hooks.slack.com/…</c>), for URLs whose path is itself the secret.</summary>
    public static string OriginOnly(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : "(invalid URL)";

    /// <summary>Control characters (newlines included) become spaces, runs of white space collapse, and the result is capped.</summary>
    public static string OneLine(string? text, int max = MaxReplyChars)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(Math.Min(text.Length, max + 1));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
            if (sb.Length > max)
            {
                break;
            }
        }

        return sb.Length > max ? string.Concat(sb.ToString(0, max), "…") : sb.ToString();
    }

    /// <summary>The last <paramref name="lines"/> non-empty lines of <paramref name="text"/>, joined with " | " and capped at the end.</summary>
    public static string Tail(string? text, int lines = 5, int max = 500)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var kept = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(lines);
        var joined = OneLine(string.Join(" | ", kept), int.MaxValue - 1);
        return joined.Length <= max ? joined : string.Concat("…", joined.AsSpan(joined.Length - max));
    }

    /// <summary>The error of an attempt that ran out of time; one wording whichever timer noticed first.</summary>
    public static string TimedOut(string target, TimeSpan timeout, bool processKilled) =>
        $"{target} did not finish within {Duration.Format(timeout)} (notifier timeout)" + (processKilled ? "; its process group was killed" : "");

    /// <summary>The program of a command only (<c>`sms-send …`</c>): its arguments may hold values that came from <c>${ENV}</c>.</summary>
    public static string Program(string? run, IReadOnlyList<string> argv)
    {
        var text = (run ?? string.Join(' ', argv)).Trim();
        var space = text.IndexOfAny([' ', '\t', '\n']);
        var program = space < 0 ? text : string.Concat(text.AsSpan(0, space), " …");
        return "`" + (program.Length <= 60 ? program : string.Concat(program.AsSpan(0, 60), "…")) + "`";
    }
}
