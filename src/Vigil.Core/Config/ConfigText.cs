using System.Text;

namespace Vigil.Core.Config;

/// <summary>
/// Bounds what a config message may quote from a file. Messages name the offending token only, never
/// whole lines: an include can point at a file that is not a config at all (a credentials file, say),
/// and load errors reach logs, the audit trail and the unauthenticated readiness route.
/// </summary>
public static class ConfigText
{
    /// <summary>The most characters of one token a message shows.</summary>
    public const int MaxToken = 48;

    /// <summary>The most characters of a whole message (lists of valid keys included).</summary>
    public const int MaxMessage = 2000;

    /// <summary>
    /// A token for a message: its first line only, control characters removed, at most
    /// <see cref="MaxToken"/> characters (longer ones end in "…").
    /// </summary>
    public static string Token(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var newline = text.IndexOfAny(['\r', '\n']);
        var line = newline >= 0 ? text[..newline] : text;
        var sb = new StringBuilder(Math.Min(line.Length, MaxToken + 1));
        foreach (var c in line)
        {
            if (sb.Length >= MaxToken)
            {
                return sb.Append('…').ToString();
            }

            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return newline >= 0 ? sb.Append('…').ToString() : sb.ToString();
    }

    /// <summary>
    /// The backstop applied to every config error and warning: one line, every backtick-quoted span
    /// cut to a token, the whole at most <see cref="MaxMessage"/> characters.
    /// </summary>
    public static string Message(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sb = new StringBuilder(Math.Min(message.Length, MaxMessage));
        var i = 0;
        while (i < message.Length)
        {
            var c = message[i];
            if (c == '`')
            {
                var close = message.IndexOf('`', i + 1);
                if (close > i)
                {
                    sb.Append('`').Append(Token(message[(i + 1)..close])).Append('`');
                    i = close + 1;
                    continue;
                }
            }

            sb.Append(char.IsControl(c) ? ' ' : c);
            i++;
        }

        return sb.Length <= MaxMessage ? sb.ToString() : sb.ToString(0, MaxMessage - 1) + "…";
    }

    /// <summary>A key path for a message: one line, at most a few tokens long.</summary>
    public static string Path(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length <= MaxToken * 4 && path.IndexOfAny(['\r', '\n']) < 0)
        {
            return path;
        }

        var flat = Token(path.Replace('\r', ' ').Replace('\n', ' ')[..Math.Min(path.Length, MaxToken * 4)]);
        return flat;
    }
}
