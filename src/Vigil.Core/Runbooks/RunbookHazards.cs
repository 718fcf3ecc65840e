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
public static partial class RunbookHazards
{
    private static readonly (string Command, Regex Pattern)[] DestructivePatterns =
    [
        ("rm -rf", RmRecursiveForce()),
        ("kubectl delete", new Regex(@"\bkubectl\b(?:\s+-{1,2}[\w-]+(?:[= ]\S+)?)*\s+delete\b", RegexOptions.CultureInvariant)),
        ("DROP", new Regex(@"\bDROP\s+(?:TABLE|DATABASE|SCHEMA|INDEX|USER|ROLE|VIEW|KEYSPACE|COLLECTION)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        ("TRUNCATE", new Regex(@"\bTRUNCATE\s+(?:TABLE\s+)?[\w.""`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        ("DELETE FROM", new Regex(@"\bDELETE\s+FROM\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        ("FLUSHALL", new Regex(@"\bFLUSH(?:ALL|DB)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        ("docker compose down", new Regex(@"\bdocker(?:-compose|\s+compose)\b.*\s(?:down|rm)\b", RegexOptions.CultureInvariant)),
        ("docker rm", new Regex(@"\bdocker\s+(?:rm|rmi|volume\s+rm|volume\s+prune|system\s+prune|container\s+prune|image\s+prune)\b", RegexOptions.CultureInvariant)),
        ("--force", new Regex(@"(?:^|\s)(?:--force\b|--force-delete\b)", RegexOptions.CultureInvariant)),
        ("mkfs", new Regex(@"\bmkfs(?:\.\w+)?\b", RegexOptions.CultureInvariant)),
        ("dd of=", new Regex(@"\bdd\b.*\bof=", RegexOptions.CultureInvariant)),
        ("git reset --hard", new Regex(@"\bgit\s+reset\s+--hard\b", RegexOptions.CultureInvariant)),
        ("helm uninstall", new Regex(@"\bhelm\s+(?:uninstall|delete|del)\b", RegexOptions.CultureInvariant)),
        ("terraform destroy", new Regex(@"\bterraform\s+destroy\b", RegexOptions.CultureInvariant)),
        ("wipefs", new Regex(@"\b(?:wipefs|shred)\b", RegexOptions.CultureInvariant)),
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
        + @"|\bcertbot\s+(?:renew|certonly|revoke)\b"
        + @"|(?:^|\s)\d?>{1,2}\s*(?!/dev/null\b|&)[^\s&|;]",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

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
        return code.Split('\n').Select(CommandText).Any(t => t.Length > 0 && MutatingPattern.IsMatch(t));
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

    [GeneratedRegex(@"\brm\s+(?:-{1,2}[\w-]+\s+)*(?:-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*|-[rR]\s+-f|-f\s+-[rR]|--recursive\s+--force|--force\s+--recursive)\b", RegexOptions.CultureInvariant)]
    private static partial Regex RmRecursiveForce();
}
