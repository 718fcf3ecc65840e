using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>A destructive command found in step code.</summary>
/// <param name="Command">What was found, as a short name such as <c>rm -rf</c> or <c>kubectl delete</c>.</param>
/// <param name="CodeLine">The 0-based line of the step's code (see <see cref="RunbookStep.LineOf"/>).</param>
/// <param name="Text">The line as written, trimmed.</param>
public sealed record RunbookHazard(string Command, int CodeLine, string Text);

/// <summary>
/// What shell commands do, judged from their text: which destroy data (the linter wants a confirm or a
/// rollback for those) and which change something (refused during a freeze unless the step says
/// <c>mutating=false</c>). Heuristics over common operations tools; comment lines are ignored.
/// </summary>
public static class RunbookHazards
{
    // Every pattern runs without backtracking: lines are arbitrary text, and a backtracking engine takes
    // exponential time on "rm --a --a … x" and quadratic time on a long line of repeated commands.
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly (string Command, Regex Pattern)[] DestructivePatterns =
    [
        ("rm -rf", new Regex(@"\brm\s+(?:-{1,2}[\w-]+\s+)*(?:-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*|-[rR]\s+-f|-f\s+-[rR]|--recursive\s+--force|--force\s+--recursive)\b", Linear)),
        ("kubectl delete", new Regex(@"\bkubectl\b(?:\s+-{1,2}[\w-]+(?:[= ]\S+)?)*\s+delete\b", Linear)),
        ("DROP", new Regex(@"\bDROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|USER|ROLE|VIEW|KEYSPACE|COLLECTION)\b", RegexOptions.IgnoreCase | Linear)),
        ("TRUNCATE", new Regex(@"\bTRUNCATE\s+(?:TABLE\s+)?[\w.""`]+", RegexOptions.IgnoreCase | Linear)),
        ("DELETE FROM", new Regex(@"\bDELETE\s+FROM\b", RegexOptions.IgnoreCase | Linear)),
        ("FLUSHALL", new Regex(@"\bFLUSH(?:ALL|DB)\b", RegexOptions.IgnoreCase | Linear)),
        ("docker compose down", new Regex(@"\bdocker(?:-compose|\s+compose)\b.*\s(?:down|rm)\b", Linear)),
        ("docker rm", new Regex(@"\bdocker\s+(?:rm|rmi|volume\s+rm|volume\s+prune|system\s+prune|container\s+prune|image\s+prune)\b", Linear)),
        // --force or --force-delete as a whole option: not --force-recreate or --force-renewal, which destroy nothing.
        ("--force", new Regex(@"(?:^|\s)--force(?:-delete)?(?:$|[^\w-])", Linear)),
        ("mkfs", new Regex(@"\bmkfs(?:\.\w+)?\b", Linear)),
        ("dd of=", new Regex(@"\bdd\b.*\bof=", Linear)),
        ("git reset --hard", new Regex(@"\bgit\s+reset\s+--hard\b", Linear)),
        ("helm uninstall", new Regex(@"\bhelm\s+(?:uninstall|delete|del)\b", Linear)),
        ("terraform destroy", new Regex(@"\bterraform\s+destroy\b", Linear)),
        ("wipefs", new Regex(@"\b(?:wipefs|shred)\b", Linear)),
    ];

    private static readonly Regex MutatingPattern = new(
        @"\bkubectl\b.*\s(?:apply|create|patch|replace|scale|edit|set|label|annotate|cordon|uncordon|drain|taint|delete|rollout\s+(?:restart|undo|pause|resume))\b"
        + @"|\bsystemctl\s+(?:--\S+\s+)*(?:start|stop|restart|reload|enable|disable|mask|kill)\b"
        + @"|\bservice\s+\S+\s+(?:start|stop|restart|reload)\b"
        + @"|\bdocker(?:-compose|\s+compose)\b.*\s(?:up|down|restart|stop|start|rm|pull|kill)\b"
        + @"|\bdocker\s+(?:run|start|stop|restart|kill|rm|rmi|pull|volume\s+rm|system\s+prune|update)\b"
        + @"|\bhelm\s+(?:install|upgrade|rollback|uninstall|delete)\b"
        + @"|\bterraform\s+(?:apply|destroy|import|taint)\b"
        + @"|\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|ALTER\s+\w+|CREATE\s+(?:TABLE|INDEX|DATABASE|USER|ROLE)|DROP\s+\w+|TRUNCATE|GRANT|REVOKE|VACUUM|REINDEX)\b"
        + @"|\bredis-cli\b.*\s(?:SET|DEL|FLUSHALL|FLUSHDB|CONFIG\s+SET|EXPIRE|SHUTDOWN)\b"
        + @"|(?:^|[;&|]\s*|\s)(?:sudo\s+)?(?:rm|mv|cp|ln|chmod|chown|mkdir|rmdir|touch|truncate|tee|kill|pkill|killall|reboot|shutdown|mkfs\S*|dd|rsync|tar\s+-?x\S*|crontab)\s"
        + @"|\bgit\s+(?:push|reset|checkout|pull|merge|rebase|commit|tag)\b"
        + @"|\b(?:apt|apt-get|yum|dnf|apk|pip3?|npm)\s+(?:install|remove|purge|upgrade|uninstall)\b"
        + @"|\bcurl\b.*(?:-X\s*|--request\s+)(?:POST|PUT|PATCH|DELETE)\b"
        + @"|\bcertbot\s+(?:renew|certonly|revoke)\b",
        RegexOptions.IgnoreCase | Linear);

    // Output redirected to a file (not to /dev/null or another descriptor). The '>' closing a <placeholder>
    // is not a redirect, but may come before one. Lookarounds need the backtracking engine; each lookbehind
    // runs only just after a '>' and scans back over one word, so this stays linear; the match timeout
    // bounds it anyway, and a line it cannot decide in time counts as mutating.
    private static readonly Regex RedirectPattern = new(
        @"(?:[^\s<>&|]|(?<=<[A-Za-z][A-Za-z0-9_.-]*>))\s*>(?<!<[A-Za-z][A-Za-z0-9_.-]*>)>?\s*(?!/dev/null|&)[^\s&|;]",
        RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250));

    /// <summary>The destructive commands in <paramref name="code"/>, one per command per line.</summary>
    public static IReadOnlyList<RunbookHazard> Destructive(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var found = new List<RunbookHazard>();
        var lines = code.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var text = CommandText(lines[i]);
            if (text.Length == 0)
            {
                continue;
            }

            foreach (var (command, pattern) in DestructivePatterns)
            {
                if (pattern.IsMatch(text))
                {
                    found.Add(new RunbookHazard(command, i, lines[i].Trim()));
                }
            }
        }

        return found;
    }

    /// <summary>Whether any command in <paramref name="code"/> looks like it changes something.</summary>
    public static bool LooksMutating(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Split('\n').Select(CommandText).Any(t => t.Length > 0 && (MutatingPattern.IsMatch(t) || Redirects(t)));
    }

    private static bool Redirects(string command)
    {
        try
        {
            return RedirectPattern.IsMatch(command);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    // The command part of a line: comment lines are empty, a trailing " # comment" is dropped.
    private static string CommandText(string line)
    {
        var text = line.Trim();
        if (text.StartsWith('#'))
        {
            return string.Empty;
        }

        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? text[..comment] : text;
    }
}
