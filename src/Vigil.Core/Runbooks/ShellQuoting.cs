namespace Vigil.Core.Runbooks;

/// <summary>
/// Reads bash quoting over a whole script, so that the parser (which <c>$VAR</c>s are parameters) and the
/// planner (how a placeholder is rewritten) agree on where quotes begin and end, also across lines.
/// It follows single and double quotes, <c>$'…'</c>, backslashes, comments, <c>$(…)</c>, <c>$((…))</c>,
/// backticks, <c>${…}</c> and here-documents. It is a reader for well-formed runbook code, not a full bash
/// parser: odd constructs (a <c>case</c> pattern's <c>)</c> inside <c>$(…)</c>, nested backticks) may be
/// misread, which changes how a value is quoted but never puts a value into the script.
/// </summary>
internal static class ShellQuoting
{
    private const string Operators = ";&|()<>";

    /// <summary>The context of each character of <paramref name="script"/>.</summary>
    public static ShellContext[] Scan(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return new Scanner(script).Run();
    }

    /// <summary><paramref name="script"/> with every character whose context <paramref name="hide"/> picks turned to a space (newlines stay, so positions and lines line up).</summary>
    public static string Mask(string script, ShellContext[] contexts, Func<ShellContext, bool> hide)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(hide);
        var chars = script.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] != '\n' && hide(contexts[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    private enum FrameKind
    {
        Script,         // the top level: never closes
        Subshell,       // $( … ) or a nested ( … )
        Backtick,       // ` … `
        Arithmetic,     // $(( … )) or (( … ))
        Expansion,      // ${ … } outside double quotes
        DoubleQuotes,   // " … "
        QuotedExpansion, // ${ … } inside double quotes
    }

    private sealed class Frame(FrameKind kind)
    {
        public FrameKind Kind { get; } = kind;
        public int Depth { get; set; }
        public bool IsCode => Kind is FrameKind.Script or FrameKind.Subshell or FrameKind.Backtick;
        public bool IsDoubleQuoted => Kind is FrameKind.DoubleQuotes or FrameKind.QuotedExpansion;
    }

    private sealed record PendingHeredoc(string Delimiter, bool Literal, bool StripTabs);

    private sealed class Scanner(string s)
    {
        private readonly ShellContext[] _contexts = new ShellContext[s.Length];
        private readonly Stack<Frame> _frames = new([new Frame(FrameKind.Script)]);
        private readonly List<PendingHeredoc> _heredocs = [];
        private int _i;

        public ShellContext[] Run()
        {
            while (_i < s.Length)
            {
                var frame = _frames.Peek();
                if (frame.IsDoubleQuoted)
                {
                    StepDoubleQuoted(frame);
                }
                else
                {
                    StepUnquoted(frame);
                }
            }

            return _contexts;
        }

        private char At(int offset) => _i + offset < s.Length ? s[_i + offset] : '\0';

        private void Mark(int count, ShellContext context)
        {
            var end = Math.Min(s.Length, _i + count);
            Array.Fill(_contexts, context, _i, end - _i);
            _i = end;
        }

        private void Push(FrameKind kind, int length, ShellContext context)
        {
            Mark(length, context);
            _frames.Push(new Frame(kind));
        }

        private void Pop(int length, ShellContext context)
        {
            Mark(length, context);
            _frames.Pop();
        }

        private bool AtWordStart => _i == 0 || char.IsWhiteSpace(s[_i - 1]) || Operators.Contains(s[_i - 1], StringComparison.Ordinal);

        private void StepUnquoted(Frame frame)
        {
            const ShellContext U = ShellContext.Unquoted;
            var c = s[_i];
            switch (c)
            {
                case '\\':
                    Mark(2, ShellContext.Escaped);
                    return;
                case '\'':
                    SingleQuoted();
                    return;
                case '$' when At(1) == '\'':
                    AnsiCQuoted();
                    return;
                case '"':
                    Push(FrameKind.DoubleQuotes, 1, ShellContext.DoubleQuoted);
                    return;
                case '`' when frame.Kind == FrameKind.Backtick:
                    Pop(1, U);
                    return;
                case '`':
                    Push(FrameKind.Backtick, 1, U);
                    return;
                case '$' when At(1) == '(' && At(2) == '(':
                    Push(FrameKind.Arithmetic, 3, U);
                    return;
                case '$' when At(1) == '(':
                    Push(FrameKind.Subshell, 2, U);
                    return;
                case '$' when At(1) == '{':
                    Push(FrameKind.Expansion, 2, U);
                    return;
                case '(' when frame.IsCode && At(1) == '(' && AtWordStart:
                    Push(FrameKind.Arithmetic, 2, U);
                    return;
                case '(' when frame.Kind is FrameKind.Subshell or FrameKind.Arithmetic:
                    frame.Depth++;
                    Mark(1, U);
                    return;
                case ')' when frame.Kind == FrameKind.Arithmetic && frame.Depth == 0:
                    Pop(At(1) == ')' ? 2 : 1, U);
                    return;
                case ')' when frame.Kind == FrameKind.Subshell && frame.Depth == 0:
                    Pop(1, U);
                    return;
                case ')' when frame.Kind is FrameKind.Subshell or FrameKind.Arithmetic:
                    frame.Depth--;
                    Mark(1, U);
                    return;
                case '}' when frame.Kind == FrameKind.Expansion:
                    Pop(1, U);
                    return;
                case '#' when frame.IsCode && AtWordStart:
                    var end = s.IndexOf('\n', _i);
                    Mark((end < 0 ? s.Length : end) - _i, ShellContext.Comment);
                    return;
                case '<' when frame.IsCode && At(1) == '<' && At(2) == '<':
                    Mark(3, U); // a here-string, not a here-document
                    return;
                case '<' when frame.IsCode && At(1) == '<':
                    HeredocOperator();
                    return;
                case '\n' when frame.IsCode && _heredocs.Count > 0:
                    Mark(1, U);
                    HeredocBodies();
                    return;
                default:
                    Mark(1, U);
                    return;
            }
        }

        private void StepDoubleQuoted(Frame frame)
        {
            const ShellContext D = ShellContext.DoubleQuoted;
            switch (s[_i])
            {
                // Inside double quotes a backslash only escapes these; before anything else it is literal.
                case '\\' when At(1) is '$' or '`' or '"' or '\\' or '\n':
                    Mark(2, ShellContext.Escaped);
                    return;
                case '"' when frame.Kind == FrameKind.DoubleQuotes:
                    Pop(1, D);
                    return;
                case '"':
                    Push(FrameKind.DoubleQuotes, 1, D);
                    return;
                case '}' when frame.Kind == FrameKind.QuotedExpansion:
                    Pop(1, D);
                    return;
                case '`':
                    Push(FrameKind.Backtick, 1, D);
                    return;
                case '$' when At(1) == '(' && At(2) == '(':
                    Push(FrameKind.Arithmetic, 3, D);
                    return;
                case '$' when At(1) == '(':
                    Push(FrameKind.Subshell, 2, D);
                    return;
                case '$' when At(1) == '{':
                    Push(FrameKind.QuotedExpansion, 2, D);
                    return;
                default:
                    Mark(1, D);
                    return;
            }
        }

        private void SingleQuoted()
        {
            var close = s.IndexOf('\'', _i + 1);
            Mark((close < 0 ? s.Length : close + 1) - _i, ShellContext.SingleQuoted);
        }

        private void AnsiCQuoted()
        {
            var j = _i + 2;
            while (j < s.Length && s[j] != '\'')
            {
                j += s[j] == '\\' ? 2 : 1;
            }

            Mark(Math.Min(s.Length, j + 1) - _i, ShellContext.AnsiCQuoted);
        }

        // "<<EOF", "<<-EOF", "<< 'EOF'": the body starts after the end of this line.
        private void HeredocOperator()
        {
            var j = _i + 2;
            var stripTabs = j < s.Length && s[j] == '-';
            if (stripTabs)
            {
                j++;
            }

            while (j < s.Length && s[j] is ' ' or '\t')
            {
                j++;
            }

            var start = j;
            while (j < s.Length && !char.IsWhiteSpace(s[j]) && !Operators.Contains(s[j], StringComparison.Ordinal))
            {
                j++;
            }

            var word = s[start..j];
            if (word.Length > 0)
            {
                var literal = word.AsSpan().IndexOfAny("'\"\\") >= 0;
                _heredocs.Add(new PendingHeredoc(word.Replace("'", "").Replace("\"", "").Replace("\\", ""), literal, stripTabs));
            }

            Mark(j - _i, ShellContext.Unquoted);
        }

        private void HeredocBodies()
        {
            foreach (var heredoc in _heredocs)
            {
                while (_i < s.Length)
                {
                    var end = s.IndexOf('\n', _i);
                    var lineEnd = end < 0 ? s.Length : end;
                    var line = s[_i..lineEnd];
                    if ((heredoc.StripTabs ? line.TrimStart('\t') : line) == heredoc.Delimiter)
                    {
                        Mark(lineEnd + 1 - _i, ShellContext.HeredocLiteral);
                        break;
                    }

                    if (heredoc.Literal)
                    {
                        Mark(lineEnd + 1 - _i, ShellContext.HeredocLiteral);
                        continue;
                    }

                    while (_i <= lineEnd && _i < s.Length)
                    {
                        // In an unquoted here-document a backslash escapes only $, `, \ and a newline.
                        if (s[_i] == '\\' && At(1) is '$' or '`' or '\\' or '\n')
                        {
                            Mark(2, ShellContext.Escaped);
                        }
                        else
                        {
                            Mark(1, ShellContext.Heredoc);
                        }
                    }
                }
            }

            _heredocs.Clear();
        }
    }
}
