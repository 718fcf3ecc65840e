namespace Vigil.Core.Runbooks;

/// <summary>A destructive command found in step code.</summary>
/// <param name="Command">What was found, as a short name such as <c>rm -rf</c> or <c>kubectl delete</c>.</param>
/// <param name="CodeLine">The 0-based line of the step's code (see <see cref="RunbookStep.LineOf"/>).</param>
/// <param name="Text">The line as written, trimmed.</param>
public sealed record RunbookHazard(string Command, int CodeLine, string Text);

/// <summary>One simple command of a step and what it does.</summary>
/// <param name="Command">A short name such as <c>kubectl delete</c>, <c>oc adm drain</c> or <c>psql DROP</c>.</param>
/// <param name="Class">Read, change or destroy.</param>
/// <param name="CodeLine">The 0-based line of the step's code where the command starts.</param>
/// <param name="Text">That line as written, trimmed.</param>
public sealed record StepCommand(string Command, CommandClass Class, int CodeLine, string Text);

/// <summary>
/// What the commands of a step do, read with a real shell reading (<see cref="ShellReader"/>) and classed by the
/// hazard table (<see cref="CommandTable"/>): which destroy (the linter wants a confirm or a rollback for those)
/// and which change something (refused during a freeze unless the step says <c>mutating=false</c>). This is the
/// one classification freezes, approvals and the linter share. A pwsh step is read the same way in lower case
/// (PowerShell ignores case; the table's cmdlet families are lower case); a python step is scanned for the calls
/// that delete, write or run commands (<see cref="PythonHazards"/>), and the shell text it hands to <c>os.system</c>
/// or <c>subprocess</c> is classed like a bash step's.
/// </summary>
public static class RunbookHazards
{
    /// <summary>Every simple command in <paramref name="code"/> with its class, in order.</summary>
    /// <param name="code">The step's code.</param>
    /// <param name="table">The hazard table (default: the built-in one).</param>
    /// <param name="language">The fence's language (default: bash).</param>
    public static IReadOnlyList<StepCommand> Commands(string code, CommandTable? table = null, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        table ??= CommandTable.Default;
        var lines = code.Split('\n');
        var shell = language is null ? StepShells.Bash : StepShells.Of(language) ?? StepShells.Bash;
        if (shell == StepShells.Python)
        {
            return PythonHazards.Commands(code, table);
        }

        var found = new List<StepCommand>();
        foreach (var (command, verdict) in table.Classify(shell == StepShells.Pwsh ? code.ToLowerInvariant() : code))
        {
            var line = Math.Clamp(command.Line, 0, lines.Length - 1);
            found.Add(new StepCommand(verdict.Name, verdict.Class, line, lines[line].Trim()));
        }

        return found;
    }

    /// <summary>The destroy-class commands in <paramref name="code"/>, one per command.</summary>
    public static IReadOnlyList<RunbookHazard> Destructive(string code, CommandTable? table = null, string? language = null) =>
        Commands(code, table, language).Where(c => c.Class == CommandClass.Destroy).Select(c => new RunbookHazard(c.Command, c.CodeLine, c.Text)).ToList();

    /// <summary>Whether any command in <paramref name="code"/> changes or destroys something.</summary>
    public static bool LooksMutating(string code, CommandTable? table = null, string? language = null) =>
        Commands(code, table, language).Any(c => c.Class >= CommandClass.Change);
}
