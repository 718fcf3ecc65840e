using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>How the parser read a runnable fenced block.</summary>
public enum BlockReading
{
    /// <summary>Every line is shell code (a plain <c>bash</c> block, or a <c>console</c> block that looks like commands).</summary>
    Script,

    /// <summary>Prompt-style: lines after <c>$ </c> (or a root <c># </c>) are commands, the other lines are output shown to the reader.</summary>
    Prompted,

    /// <summary>A <c>console</c> block with no prompt that looks like output: shown, never run.</summary>
    Output,
}

/// <summary>A line of a prompt-style block that is output, kept for display and never run.</summary>
/// <param name="Line">The 1-based source line.</param>
/// <param name="Text">The line as written.</param>
/// <param name="After">How many code lines of the step come before it (where it belongs when the block is shown).</param>
public sealed record RunbookOutputLine(int Line, string Text, int After);

/// <summary>
/// Reads a runnable fenced block the way a person does. A block with a <c>$ </c> line is prompt-style: each
/// <c>$ cmd</c> is a command (with its <c>\</c> continuation lines and here-document body), a <c># cmd</c> is a root
/// prompt when it follows a switch to root (<c>sudo su</c>, <c>sudo -i</c>, a container shell) or names a known
/// program and does not read as prose, a <c>#</c> comment at the start or after a blank line stays a comment, and
/// every other line is output. A <c>console</c> block with no <c>$</c> prompt is code when it looks like commands
/// (its first command word is a known program or a path, or no line looks like output), otherwise it is output.
/// Other blocks are code, as written. Pure.
/// </summary>
internal static partial class PromptStyle
{
    // Programs with no family in the command table (commands.yaml) because they only read or run other code; a line
    // starting with one is a command too.
    private static readonly string[] GenericPrograms =
    [
        "asdf", "awk", "bundle", "cat", "cd", "date", "df", "dig", "du", "echo", "export", "free", "go", "grep", "head", "host", "htop",
        "iostat", "jq", "less", "ls", "lsof", "make", "nc", "netstat", "nslookup", "perf", "pgrep", "ping", "ps", "python", "python3",
        "ruby", "scp", "sed", "sort", "ss", "tail", "tcpdump", "top", "uname", "uptime", "vi", "vim", "wc", "which", "yq",
    ];

    /// <summary>
    /// Programs a runbook line commonly starts with (so a prompt-less console block, or a <c># </c> line, can be told from
    /// output and prose): the built-in command table's families and <see cref="GenericPrograms"/>. One list with the hazard model.
    /// </summary>
    internal static readonly HashSet<string> KnownPrograms = new(CommandTable.Default.Families.Concat(GenericPrograms), StringComparer.Ordinal);

    // Words that make a "# …" line prose ("# kill the process") rather than a root prompt ("# kill 1234").
    private static readonly HashSet<string> ProseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "to", "and", "or", "of", "for", "if", "then", "this", "that", "these", "those", "we", "you", "it", "is", "are",
        "be", "will", "can", "should", "when", "with", "in", "on", "so", "not", "your", "our", "from", "by", "as",
    };

    /// <summary>Reads <paramref name="lines"/> (text and source line) of a block whose language is <paramref name="language"/>.</summary>
    public static (BlockReading Reading, List<(string Text, int Line)> Code, List<RunbookOutputLine> Output) Read(string language, List<(string Text, int Line)> lines)
    {
        if (lines.Any(l => IsDollarPrompt(l.Text.TrimStart())))
        {
            return ReadPrompted(lines);
        }

        if (language == "console" && !LooksLikeCommands(lines))
        {
            return (BlockReading.Output, [], lines.Where(l => l.Text.Trim().Length > 0).Select(l => new RunbookOutputLine(l.Line, l.Text, 0)).ToList());
        }

        return (BlockReading.Script, lines, []);
    }

    private static bool IsDollarPrompt(string trimmed) => trimmed == "$" || trimmed.StartsWith("$ ", StringComparison.Ordinal);

    private static (BlockReading, List<(string Text, int Line)>, List<RunbookOutputLine>) ReadPrompted(List<(string Text, int Line)> lines)
    {
        var code = new List<(string Text, int Line)>();
        var output = new List<RunbookOutputLine>();
        var continuing = false;
        string? heredoc = null;
        var root = false;
        var afterBlank = true;
        var lastWasOutput = false;
        foreach (var (text, line) in lines)
        {
            var trimmed = text.TrimStart();
            if (heredoc is not null)
            {
                code.Add((text, line));
                heredoc = trimmed.TrimEnd() == heredoc ? null : heredoc;
                continue;
            }

            string? command = null;
            if (continuing)
            {
                // A continuation line, possibly shown with bash's secondary prompt "> ".
                command = trimmed.StartsWith("> ", StringComparison.Ordinal) ? trimmed[2..] : text;
            }
            else if (IsDollarPrompt(trimmed))
            {
                command = trimmed.Length > 1 ? trimmed[2..] : "";
            }
            else if (trimmed.StartsWith("# ", StringComparison.Ordinal) && IsRootPrompt(trimmed[2..], root))
            {
                command = trimmed[2..];
            }

            if (command is not null)
            {
                code.Add((command, line));
                root |= !continuing && SwitchesToRoot(command);
                continuing = command.TrimEnd().EndsWith('\\');
                heredoc = HeredocDelimiter(command);
                (afterBlank, lastWasOutput) = (false, false);
            }
            else if (trimmed.Length == 0)
            {
                afterBlank = true;
            }
            else if (trimmed.StartsWith('#') && (afterBlank || !lastWasOutput))
            {
                code.Add((text, line)); // a comment: it describes the next command, and may hold a vigil-lint directive
                afterBlank = false;
            }
            else
            {
                output.Add(new RunbookOutputLine(line, text, code.Count));
                (afterBlank, lastWasOutput) = (false, true);
            }
        }

        return (BlockReading.Prompted, code, output);
    }

    // "# cmd" is a command after a switch to root, or when it starts with a known program or a path and is not prose.
    private static bool IsRootPrompt(string rest, bool root)
    {
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !IsCommandWord(words[0]))
        {
            return false;
        }

        var trimmed = rest.TrimEnd();
        if (trimmed.EndsWith('.') || trimmed.EndsWith(':') || trimmed.EndsWith('?') || words.Skip(1).Any(ProseWords.Contains))
        {
            return false;
        }

        return root || IsPath(words[0]) || KnownPrograms.Contains(words[0]);
    }

    private static bool IsPath(string word) => word.StartsWith('/') || word.StartsWith("./", StringComparison.Ordinal) || word.StartsWith("~/", StringComparison.Ordinal);

    // sudo su, sudo -i, sudo -s, sudo bash, su -, or an interactive shell in a container (docker exec -it …).
    private static bool SwitchesToRoot(string command)
    {
        var words = command.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return false;
        }

        return words[0] switch
        {
            "sudo" => words.Length > 1 && (words[1] is "su" or "-i" or "-s" || (words.Length == 2 && words[1] is "bash" or "sh")
                || (words.Length == 4 && words[1] == "-u" && words[2] == "root" && words[3] is "bash" or "sh")),
            "su" => words.Skip(1).All(w => w is "-" or "-l" or "root"),
            "docker" or "podman" or "kubectl" or "oc" => words.Length > 1 && words[1] is "run" or "exec"
                && (words.Any(w => w.Length > 2 && w[0] == '-' && w[1] != '-' && w.Contains('i', StringComparison.Ordinal) && w.Contains('t', StringComparison.Ordinal))
                    || (words.Contains("-i") && words.Contains("-t"))),
            _ => false,
        };
    }

    private static string? HeredocDelimiter(string command) =>
        Heredoc().Match(command) is { Success: true } m ? m.Groups["delimiter"].Value : null;

    // A console block with no prompt is code when its first command word is a known program (or a path, or an
    // assignment), or when no line looks like output.
    private static bool LooksLikeCommands(List<(string Text, int Line)> lines)
    {
        var content = lines.Select(l => l.Text.Trim()).Where(t => t.Length > 0 && !t.StartsWith('#')).ToList();
        if (content.Count == 0)
        {
            return true;
        }

        var first = content[0].Split(' ', 2)[0];
        if (KnownPrograms.Contains(first) || IsPath(first) || Assignment().IsMatch(first))
        {
            return true;
        }

        return !content.Any(LooksLikeOutput);
    }

    /// <summary>Whether a line reads as a program's output (a table row, a "Key: value" line, a number, a bracketed line) rather than a command.</summary>
    internal static bool LooksLikeOutput(string line)
    {
        var t = line.Trim();
        return t.Length > 0 && (OutputLine().IsMatch(t) || !IsCommandWord(t.Split(' ', 2)[0]));
    }

    // A word that can start a command: a program name or path (not an all-capitals table header), or an assignment.
    // Plain code rather than a regex, so that a very long word costs linear time.
    private static bool IsCommandWord(string word) =>
        (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '~' or '+' or '-') && word.Any(c => !char.IsAsciiLetterUpper(c)))
        || Assignment().IsMatch(word);


    // "Events:", "Name:   x", "NAME   READY", "2997 /usr/bin/…", "[ perf record … ]", "{", "|", "+---", "-----", column gaps.
    [GeneratedRegex(@"^(?:[A-Z][A-Za-z -]*:(?:\s|$)|[A-Z][A-Z0-9_-]+(?:\s|$)|[0-9]|[\[\]{}|+<=*]|-{2,}|\S+ {2,}\S)", RegexOptions.CultureInvariant)]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(?<!<)<<-?\s*(['""]?)(?<delimiter>[A-Za-z_][A-Za-z0-9_]*)\1", RegexOptions.CultureInvariant)]
    private static partial Regex Heredoc();
}
