using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>
/// The hazards of a python step, found line by line (comments skipped): calls that delete files or trees, that write,
/// and the shell text handed to <c>os.system</c> or <c>subprocess</c>, which is classed by the bash table like a bash step.
/// A delete whose path is a variable or expression (<c>os.remove(path)</c>) destroys: nobody can tell what it removes.
/// </summary>
internal static partial class PythonHazards
{
    private static readonly (Regex Pattern, string Name, CommandClass Class)[] Calls =
    [
        (RmTree(), "shutil.rmtree", CommandClass.Destroy),
        (RemoveDirs(), "os.removedirs", CommandClass.Destroy),
        (Truncate(), "os.truncate", CommandClass.Destroy),
        (Kill(), "os.kill", CommandClass.Change),
        (PathDelete(), "Path.unlink/rmdir", CommandClass.Change),
        (Move(), "shutil.move/os.rename", CommandClass.Change),
        (Copy(), "shutil.copy", CommandClass.Change),
        (Chmod(), "os.chmod/chown", CommandClass.Change),
        (MakeDirs(), "os.mkdir", CommandClass.Change),
        (WriteOpen(), "open for writing", CommandClass.Change),
        (WriteText(), "Path.write_text", CommandClass.Change),
        (HttpWrite(), "HTTP write", CommandClass.Change),
    ];

    public static IReadOnlyList<StepCommand> Commands(string code, CommandTable table)
    {
        var lines = code.Split('\n');
        var found = new List<StepCommand>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            foreach (var (pattern, name, cls) in Calls)
            {
                // os.unlink(…) is read below, by what it removes; Path.unlink() is a method of a path object.
                if (pattern.IsMatch(line) && !(cls == CommandClass.Change && name == "Path.unlink/rmdir" && Remove().IsMatch(line)))
                {
                    found.Add(new StepCommand(name, cls, i, text));
                }
            }

            // os.remove("x.txt") removes one named file: a change. os.remove(path) removes whatever path holds: destroy.
            foreach (Match m in Remove().Matches(line))
            {
                var literal = m.Groups["arg"].Value.TrimStart().StartsWith('"') || m.Groups["arg"].Value.TrimStart().StartsWith('\'');
                found.Add(new StepCommand($"os.{m.Groups["fn"].Value}", literal ? CommandClass.Change : CommandClass.Destroy, i, text));
            }

            foreach (var shell in ShellTexts(line))
            {
                foreach (var (_, verdict) in table.Classify(shell))
                {
                    if (verdict.Class >= CommandClass.Change)
                    {
                        found.Add(new StepCommand(verdict.Name, verdict.Class, i, text));
                    }
                }
            }
        }

        return found;
    }

    // os.system("…") and subprocess.run("…", shell=True): the string is shell text. subprocess.run(["rm", "-rf", p]): the
    // literal words joined (a variable word is kept as a word, so `rm -rf` still reads as rm with -rf).
    private static IEnumerable<string> ShellTexts(string line)
    {
        foreach (Match m in ShellString().Matches(line))
        {
            yield return m.Groups["s"].Value;
        }

        foreach (Match m in ShellList().Matches(line))
        {
            var words = ListWord().Matches(m.Groups["items"].Value).Select(w => w.Groups["w"].Success ? w.Groups["w"].Value : "X");
            yield return string.Join(' ', words);
        }
    }

    [GeneratedRegex(@"\brmtree\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex RmTree();

    [GeneratedRegex(@"\bos\s*\.\s*removedirs\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex RemoveDirs();

    [GeneratedRegex(@"\bos\s*\.\s*(?:truncate|ftruncate)\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Truncate();

    [GeneratedRegex(@"\bos\s*\.\s*(?:kill|killpg)\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Kill();

    [GeneratedRegex(@"\.\s*(?:unlink|rmdir)\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex PathDelete();

    [GeneratedRegex(@"\b(?:shutil\s*\.\s*move|os\s*\.\s*(?:rename|replace))\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Move();

    [GeneratedRegex(@"\bshutil\s*\.\s*copy(?:file|tree|2)?\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Copy();

    [GeneratedRegex(@"\bos\s*\.\s*(?:chmod|chown|lchown)\s*\(|\bshutil\s*\.\s*chown\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex Chmod();

    [GeneratedRegex(@"\bos\s*\.\s*(?:mkdir|makedirs|symlink|link)\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex MakeDirs();

    [GeneratedRegex(@"\bopen\s*\([^)]*,\s*(?:mode\s*=\s*)?[rbt]*['""][^'""]*[wax+]", RegexOptions.NonBacktracking)]
    private static partial Regex WriteOpen();

    [GeneratedRegex(@"\.\s*write_(?:text|bytes)\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex WriteText();

    [GeneratedRegex(@"\b(?:requests|httpx|session|client)\s*\.\s*(?:post|put|patch|delete)\s*\(|method\s*=\s*['""](?:POST|PUT|PATCH|DELETE)['""]", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex HttpWrite();

    [GeneratedRegex(@"\bos\s*\.\s*(?<fn>remove|unlink|rmdir)\s*\((?<arg>[^)]*)", RegexOptions.NonBacktracking)]
    private static partial Regex Remove();

    [GeneratedRegex(@"\b(?:os\s*\.\s*(?:system|popen)|subprocess\s*\.\s*(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput))\s*\(\s*[rfbu]*(?:""(?<s>[^""]*)""|'(?<s>[^']*)')", RegexOptions.NonBacktracking)]
    private static partial Regex ShellString();

    [GeneratedRegex(@"\bsubprocess\s*\.\s*(?:run|call|check_call|check_output|Popen)\s*\(\s*\[(?<items>[^\]]*)\]", RegexOptions.NonBacktracking)]
    private static partial Regex ShellList();

    [GeneratedRegex(@"\s*(?:[rfbu]*""(?<w>[^""]*)""|[rfbu]*'(?<w>[^']*)'|[^,\s][^,]*)", RegexOptions.NonBacktracking)]
    private static partial Regex ListWord();
}
