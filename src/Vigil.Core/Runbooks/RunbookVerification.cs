using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Whether steps check the outcome of a change, for the linter's <c>mutation-without-verification</c> rule. A step
/// verifies when its name, or a comment before one of its commands, talks about verifying (verify, check, confirm,
/// health, status, smoke), or when it runs a read-only check such as <c>kubectl rollout status</c>,
/// <c>curl -f …/health</c>, <c>systemctl is-active</c>, <c>pg_isready</c>, <c>test</c> or <c>grep</c>.
/// </summary>
internal static partial class RunbookVerification
{
    // Without backtracking, like RunbookHazards: ".*" after a command name is quadratic on long lines otherwise.
    private static readonly Regex ReadOnlyCheck = new(
        @"\bkubectl\b.*\s(?:get|describe|wait|top|rollout\s+status)\b"
        + @"|\bcurl\b"
        + @"|\bsystemctl\s+(?:--\S+\s+)*(?:status|is-active|is-failed|is-enabled)\b"
        + @"|\bdocker\s+(?:container\s+)?ps\b|\bdocker(?:-compose|\s+compose)\b.*\sps\b"
        + @"|\bredis-cli\b.*\s(?:[Pp][Ii][Nn][Gg]|[Ii][Nn][Ff][Oo])\b"
        + @"|\bpg_isready\b"
        + @"|(?:^|[\s;&|(!])(?:test|\[\[?)\s"
        + @"|\bgrep\b"
        + @"|/health|/ready",
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    private static readonly Regex SendsData = new(
        @"\bcurl\b.*\s(?:-d|--data(?:-[\w-]+)?|-F|--form|-T|--upload-file)(?:[\s=]|$)",
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    /// <summary>Whether <paramref name="step"/> verifies something in its code lines from <paramref name="fromLine"/> (0-based) on.</summary>
    public static bool Verifies(RunbookStep step, int fromLine = 0)
    {
        if (fromLine == 0 && Mentions(step.Name))
        {
            return true;
        }

        var lines = step.Code.Split('\n');
        var announced = false;
        for (var i = Math.Max(0, fromLine); i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith('#'))
            {
                announced |= Mentions(text);
            }
            else if (announced || IsReadOnlyCheck(text, step.Commands))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The 0-based code line of the last command in <paramref name="step"/> that changes or destroys something, or -1.</summary>
    public static int LastChangeLine(RunbookStep step) =>
        RunbookHazards.Commands(step.Code, step.Commands, step.Language).Where(c => c.Class >= CommandClass.Change).Select(c => c.CodeLine).DefaultIfEmpty(-1).Max();

    private static bool Mentions(string? text) => text is not null && VerifyWord().IsMatch(text);

    // A command that sends data (curl -d, -F, -T) or changes something is not a read-only check.
    private static bool IsReadOnlyCheck(string command, CommandTable table) =>
        ReadOnlyCheck.IsMatch(command) && !SendsData.IsMatch(command) && !RunbookHazards.LooksMutating(command, table);

    [GeneratedRegex(@"\b(?:verif(?:y|ies|ied|ying|ication)|checks?|checking|checked|confirm(?:s|ed|ing|ation)?|health\w*|status|smoke)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VerifyWord();
}
