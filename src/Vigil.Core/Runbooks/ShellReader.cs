using System.Text;

namespace Vigil.Core.Runbooks;

/// <summary>One simple command of a script as bash would see it: its words with quotes removed, where it starts,
/// the files its output is redirected to and the text fed to its input (a here-document or here-string).</summary>
internal sealed class ShellCommand
{
    /// <summary>The words, quotes and escapes removed; <c>$(…)</c> and <c>${…}</c> kept as written.</summary>
    public List<string> Words { get; } = [];

    /// <summary>0-based line of the script where the command's first word (after keywords such as <c>do</c>) is.</summary>
    public int Line { get; set; } = -1;

    /// <summary>Whether a word other than a keyword has been read, so <see cref="Line"/> is final.</summary>
    public bool Named { get; set; }

    /// <summary>Files the command writes through <c>&gt;</c>, <c>&gt;&gt;</c>, <c>&amp;&gt;</c> (not /dev/null or another descriptor).</summary>
    public List<string> FileRedirects { get; } = [];

    /// <summary>Output redirects written before any word (a line starting "&gt; …", in runbooks a PS2 prompt or quoted output).</summary>
    public int LeadingRedirects { get; set; }

    /// <summary>A here-document body or here-string fed to the command, or null.</summary>
    public string? Stdin { get; set; }

    /// <summary>The 0-based script line of <see cref="Stdin"/>'s first line.</summary>
    public int StdinLine { get; set; }
}

/// <summary>
/// Reads a shell script into its simple commands, the way bash splits it: single and double quotes, <c>$'…'</c>,
/// backslash escapes and line continuations, comments, here-documents and here-strings, redirects (a <c>&gt;</c>
/// inside quotes is not one), pipelines, <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>&amp;</c>, subshells and
/// groups, and the commands inside <c>$(…)</c>, backticks and <c>&lt;(…)</c>, which come out as commands of their
/// own. A runbook <c>&lt;placeholder&gt;</c> is read as a word, not as two redirects. It is used to judge what
/// commands do (<see cref="CommandTable"/>); the run-time rewrite of parameters reads quoting with
/// <see cref="ShellQuoting"/> and does not depend on it. Never throws; deeply nested input is read as text past
/// a fixed depth.
/// </summary>
internal sealed class ShellReader
{
    private const int MaxDepth = 32;
    private const string WordEnd = " \t\n;&|()<>";

    private readonly string _s;
    private readonly List<ShellCommand> _out;
    private readonly List<(ShellCommand Command, string Delimiter, bool StripTabs)> _heredocs = [];
    private int _i;
    private int _line;
    private int _depth;

    private ShellReader(string script, int firstLine, List<ShellCommand> output)
    {
        _s = script;
        _line = firstLine;
        _out = output;
    }

    /// <summary>The simple commands of <paramref name="script"/>, in order of where they start (nested ones after the command holding them).</summary>
    public static List<ShellCommand> Read(string script, int firstLine = 0)
    {
        ArgumentNullException.ThrowIfNull(script);
        var output = new List<ShellCommand>();
        var reader = new ShellReader(script, firstLine, output);
        reader.ReadList('\0');
        return output;
    }

    private char At(int offset) => _i + offset < _s.Length ? _s[_i + offset] : '\0';

    // Reads commands up to `end` (')' for a subshell, '`' for backticks, '\0' for the whole script) and past it.
    private void ReadList(char end)
    {
        var current = new ShellCommand();
        while (_i < _s.Length)
        {
            var c = _s[_i];
            if (c is ' ' or '\t' or '\r')
            {
                _i++;
            }
            else if (c == '\\' && At(1) == '\n')
            {
                _i += 2;
                _line++;
            }
            else if (end != '\0' && c == end)
            {
                _i++;
                Flush(ref current);
                return;
            }
            else if (c == '\n')
            {
                _i++;
                _line++;
                Flush(ref current);
                HeredocBodies();
            }
            else if (c == '#' && (_i == 0 || WordEnd.Contains(_s[_i - 1], StringComparison.Ordinal)))
            {
                while (_i < _s.Length && _s[_i] != '\n')
                {
                    _i++;
                }
            }
            else if (c == '&' && At(1) == '>')
            {
                _i++;
                Redirect(current, isOutput: true);
            }
            else if (c is ';' or '&' or '|')
            {
                _i++;
                Flush(ref current);
            }
            else if (c == '(')
            {
                _i++;
                Flush(ref current);
                Nested(')');
            }
            else if (c == ')')
            {
                _i++; // a case pattern's ")" or a stray one
                Flush(ref current);
            }
            else if (c is '<' or '>' && !IsPlaceholder(_i))
            {
                Redirect(current, isOutput: c == '>');
            }
            else
            {
                var start = _i;
                var startLine = _line;
                var word = ReadWord();
                if (_i == start)
                {
                    _i++; // cannot happen, but never loop forever
                    continue;
                }

                // "2>file": a number right before a redirect is its descriptor, not a word.
                if (_i < _s.Length && _s[_i] is '<' or '>' && !IsPlaceholder(_i) && word.Length > 0 && word.All(char.IsAsciiDigit))
                {
                    continue;
                }

                // The line of the first word that is not a keyword ("do \" then "kubectl drain …" is on the second line).
                if (!current.Named)
                {
                    current.Line = startLine;
                    current.Named = word is not ("do" or "then" or "else" or "elif" or "if" or "while" or "until" or "!" or "{" or "time");
                }

                current.Words.Add(word);
            }
        }

        Flush(ref current);
    }

    private void Flush(ref ShellCommand current)
    {
        var command = current;
        if (command.Words.Count > 0 || command.FileRedirects.Count > 0 || command.Stdin is not null
            || _heredocs.Any(h => ReferenceEquals(h.Command, command)))
        {
            if (current.Line < 0)
            {
                current.Line = _line;
            }

            _out.Add(current);
        }

        current = new ShellCommand();
    }

    private void Nested(char end)
    {
        if (_depth >= MaxDepth)
        {
            SkipTo(end);
            return;
        }

        _depth++;
        ReadList(end);
        _depth--;
    }

    // Past the matching `end`, as plain text (used beyond MaxDepth).
    private void SkipTo(char end)
    {
        var depth = 1;
        while (_i < _s.Length && depth > 0)
        {
            var c = _s[_i++];
            if (c == '\n')
            {
                _line++;
            }
            else if (end == ')' && c == '(')
            {
                depth++;
            }
            else if (c == end)
            {
                depth--;
            }
        }
    }

    // "<pod-name>", "<node name>": a runbook placeholder, not two redirects. Words may be separated by single
    // spaces when the closing ">" ends the word ("<node name> --flag"), so "a <b c>d" stays two redirects.
    private bool IsPlaceholder(int at)
    {
        if (at >= _s.Length || _s[at] != '<' || at + 1 >= _s.Length || !char.IsAsciiLetter(_s[at + 1]))
        {
            return false;
        }

        var spaced = false;
        for (var j = at + 2; j < _s.Length && j < at + 60; j++)
        {
            var c = _s[j];
            if (c == '>')
            {
                return !spaced || j + 1 >= _s.Length || _s[j + 1] is ' ' or '\t' or '\n' or '"' or '\'' or '/' or ';' or ')' or ',' or '.';
            }

            if (c == ' ' && _s[j - 1] != ' ' && j + 1 < _s.Length && char.IsAsciiLetterOrDigit(_s[j + 1]))
            {
                spaced = true;
            }
            else if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return false;
    }

    private void Redirect(ShellCommand current, bool isOutput)
    {
        string text;
        if (_s[_i] is '<' or '>' && At(1) == '(')
        {
            _i += 2; // "<(…)" or ">(…)": process substitution, a command of its own
            Nested(')');
            return;
        }

        if (_s[_i] == '&')
        {
            text = At(2) == '>' ? "&>>" : "&>";
        }
        else if (_s[_i] == '>')
        {
            text = At(1) is '>' or '|' or '&' ? ">" + At(1) : ">";
        }
        else
        {
            text = At(1) == '<' ? (At(2) == '<' ? "<<<" : "<<") : At(1) is '&' or '>' ? "<" + At(1) : "<";
        }

        _i += text.Length;
        var stripTabs = false;
        if (text == "<<" && At(0) == '-')
        {
            stripTabs = true;
            _i++;
        }

        while (_i < _s.Length && _s[_i] is ' ' or '\t')
        {
            _i++;
        }

        var target = _i < _s.Length && !WordEnd.Contains(_s[_i], StringComparison.Ordinal) ? ReadWord() : "";
        if (text == "<<")
        {
            if (target.Length > 0)
            {
                _heredocs.Add((current, target, stripTabs));
            }

            return;
        }

        if (text == "<<<")
        {
            current.Stdin = target;
            current.StdinLine = _line;
            return;
        }

        if (!isOutput || text[0] == '<')
        {
            return;
        }

        var toDescriptor = text is ">&" && (target == "-" || (target.Length > 0 && target.All(char.IsAsciiDigit)));
        if (!toDescriptor && target.Length > 0 && !IsDevice(target))
        {
            current.FileRedirects.Add(target);
            if (current.Words.Count == 0)
            {
                current.LeadingRedirects++;
            }
        }
    }

    private static bool IsDevice(string target) =>
        target is "/dev/null" or "/dev/stdout" or "/dev/stderr" or "/dev/tty" || target.StartsWith("/dev/fd/", StringComparison.Ordinal);

    private void HeredocBodies()
    {
        foreach (var (command, delimiter, stripTabs) in _heredocs)
        {
            var body = new StringBuilder();
            var first = _line;
            while (_i < _s.Length)
            {
                var end = _s.IndexOf('\n', _i);
                var lineEnd = end < 0 ? _s.Length : end;
                var text = _s[_i..lineEnd];
                _i = Math.Min(_s.Length, lineEnd + 1);
                _line++;
                if ((stripTabs ? text.TrimStart('\t') : text).TrimEnd('\r') == delimiter)
                {
                    break;
                }

                body.Append(text).Append('\n');
            }

            command.Stdin = body.ToString();
            command.StdinLine = first;
        }

        _heredocs.Clear();
    }

    // One word: quotes removed, escapes decoded; commands inside $(…) and backticks are read as commands too.
    private string ReadWord()
    {
        var word = new StringBuilder();
        while (_i < _s.Length)
        {
            var c = _s[_i];
            if (c == '<' && IsPlaceholder(_i))
            {
                var close = _s.IndexOf('>', _i);
                word.Append(_s, _i, close + 1 - _i);
                _i = close + 1;
            }
            else if (WordEnd.Contains(c, StringComparison.Ordinal))
            {
                break;
            }
            else if (c == '\\')
            {
                if (At(1) == '\n')
                {
                    _line++;
                }
                else if (_i + 1 < _s.Length)
                {
                    word.Append(_s[_i + 1]);
                }

                _i = Math.Min(_s.Length, _i + 2);
            }
            else if (c == '\'')
            {
                var close = _s.IndexOf('\'', _i + 1);
                var end = close < 0 ? _s.Length : close;
                AppendCounting(word, _i + 1, end);
                _i = Math.Min(_s.Length, end + 1);
            }
            else if (c == '$' && At(1) == '\'')
            {
                var j = _i + 2;
                while (j < _s.Length && _s[j] != '\'')
                {
                    j += _s[j] == '\\' ? 2 : 1;
                }

                var end = Math.Min(_s.Length, j);
                AppendCounting(word, _i + 2, end);
                _i = Math.Min(_s.Length, end + 1);
            }
            else if (c == '"')
            {
                _i++;
                DoubleQuoted(word);
            }
            else if (!Expansion(c, word))
            {
                word.Append(c);
                _i++;
            }
        }

        return word.ToString();
    }

    // $(…), ${…} and `…` at the cursor, the same outside and inside double quotes: read into word, and true; else false.
    private bool Expansion(char c, StringBuilder word)
    {
        if (c == '$' && At(1) == '(')
        {
            Substitution(word);
            return true;
        }

        if (!(c == '$' && At(1) == '{') && c != '`')
        {
            return false;
        }

        var start = _i;
        if (c == '`')
        {
            _i++;
            Nested('`');
        }
        else
        {
            SkipBraces();
        }

        word.Append(_s, start, Math.Min(_s.Length, _i) - start);
        return true;
    }

    private void DoubleQuoted(StringBuilder word)
    {
        while (_i < _s.Length && _s[_i] != '"')
        {
            var c = _s[_i];
            if (c == '\\' && At(1) is '$' or '`' or '"' or '\\' or '\n')
            {
                if (At(1) == '\n')
                {
                    _line++;
                }
                else
                {
                    word.Append(At(1));
                }

                _i += 2;
            }
            else if (!Expansion(c, word))
            {
                if (c == '\n')
                {
                    _line++;
                }

                word.Append(c);
                _i++;
            }
        }

        _i = Math.Min(_s.Length, _i + 1);
    }

    // "$(…)" (its commands are read) or "$((…))" (arithmetic, skipped); the text is kept in the word.
    private void Substitution(StringBuilder word)
    {
        var start = _i;
        if (At(2) == '(')
        {
            _i += 3;
            SkipTo(')');
            if (At(0) == ')')
            {
                _i++;
            }
        }
        else
        {
            _i += 2;
            Nested(')');
        }

        word.Append(_s, start, Math.Min(_s.Length, _i) - start);
    }

    private void SkipBraces()
    {
        _i += 2;
        var depth = 1;
        while (_i < _s.Length && depth > 0)
        {
            var c = _s[_i++];
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth--;
            }
            else if (c == '\n')
            {
                _line++;
            }
        }
    }

    private void AppendCounting(StringBuilder word, int from, int to)
    {
        for (var j = from; j < to; j++)
        {
            if (_s[j] == '\n')
            {
                _line++;
            }
        }

        word.Append(_s, from, Math.Max(0, to - from));
    }
}
