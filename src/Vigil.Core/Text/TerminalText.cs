using System.Globalization;
using System.Text;

namespace Vigil.Core.Text;

/// <summary>
/// Makes text from untrusted sources (incident summaries, check messages, run output) safe to print on
/// a terminal: control characters that a terminal would act on become visible escapes instead.
/// </summary>
/// <remarks>
/// Kept: tab and newline (a carriage return directly before a newline is dropped, so CRLF text prints as
/// lines). Escaped: every other C0 control (U+0000–U+001F, including a lone carriage return and ESC, which
/// starts ANSI/OSC sequences), DEL (U+007F) and the C1 controls (U+0080–U+009F, including the 8-bit CSI
/// U+009B). Each becomes <c>\u001B</c> (four upper-case hex digits), the same notation JSON uses, so
/// <c>ESC[2J</c> prints as <c>\u001B[2J</c>: visible, inert, and still valid inside a JSON string.
/// Pure and allocation-free when there is nothing to escape.
/// </remarks>
public static class TerminalText
{
    /// <summary>True for a character a terminal may act on: C0 except tab and newline, DEL, C1.</summary>
    public static bool IsUnsafe(char c) => c is (< ' ' and not '\t' and not '\n') or (>= '\u007f' and <= '\u009f');

    /// <summary>The text with every unsafe control character replaced by its visible <c>\uXXXX</c> escape; null stays null.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Sanitize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            if (IsUnsafe(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
