namespace Vigil.Core.Runbooks;

/// <summary>How bash reads one character of a script (see <see cref="ShellQuoting"/>).</summary>
internal enum ShellContext
{
    /// <summary>Outside any quotes: <c>$</c> expands and the result is word-split.</summary>
    Unquoted,

    /// <summary>Inside <c>"…"</c>: <c>$</c> expands, no word splitting.</summary>
    DoubleQuoted,

    /// <summary>Inside <c>'…'</c>: nothing expands.</summary>
    SingleQuoted,

    /// <summary>Inside <c>$'…'</c>: nothing expands, backslash escapes are decoded.</summary>
    AnsiCQuoted,

    /// <summary>A backslash and the character it escapes.</summary>
    Escaped,

    /// <summary>A <c>#</c> comment, up to the end of its line.</summary>
    Comment,

    /// <summary>The body of a here-document whose delimiter is unquoted: <c>$</c> expands, quotes are literal.</summary>
    Heredoc,

    /// <summary>The body (or closing delimiter) of a here-document whose delimiter is quoted: nothing expands.</summary>
    HeredocLiteral,
}
