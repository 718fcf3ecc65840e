namespace Vigil.Core.Runbooks;

/// <summary>A Markdown runbook as parsed: its front matter, its procedures, the parameters its steps need and any problems found.</summary>
public sealed record Runbook(
    string Path,
    RunbookMetadata Metadata,
    IReadOnlyList<RunbookProcedure> Procedures,
    IReadOnlyList<RunbookParameter> Parameters,
    IReadOnlyList<RunbookDiagnostic> Diagnostics)
{
    /// <summary>The procedure with this slug or heading text (case-insensitive), or null.</summary>
    public RunbookProcedure? FindProcedure(string slugOrTitle) =>
        Procedures.FirstOrDefault(p => string.Equals(p.Slug, slugOrTitle, StringComparison.OrdinalIgnoreCase))
        ?? Procedures.FirstOrDefault(p => string.Equals(p.Title, slugOrTitle, StringComparison.OrdinalIgnoreCase));

    /// <summary>The text of the first H1 heading, or null: the runbook's title when its front matter has none.</summary>
    public string? Heading { get; init; }

    /// <summary>The parameter with this name (exact spelling), or null.</summary>
    public RunbookParameter? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>The optional YAML front matter of a runbook.</summary>
public sealed record RunbookMetadata(
    string? Id,
    string? Title,
    string? Service,
    string? Owner,
    string? Category,
    DateOnly? LastReviewed,
    string? ReviewEvery,
    IReadOnlyList<RunbookParamDeclaration> Params,
    IReadOnlyList<string> Tags)
{
    /// <summary>Front matter with nothing in it.</summary>
    public static RunbookMetadata Empty { get; } = new(null, null, null, null, null, null, null, [], []);

    /// <summary>True when the front matter says <c>vigil: executable</c>: the team runs it through Vigil, so lint holds it to run-time rules.</summary>
    public bool Executable { get; init; }

    /// <summary>The front matter's <c>drill:</c>: this runbook is a fault-injection drill (<c>inject</c>, <c>recover</c>, <c>verify</c>).</summary>
    public DrillSpec? Drill { get; init; }
}

/// <summary>A parameter declared in front matter (<c>params:</c>).</summary>
public sealed record RunbookParamDeclaration(string Name, string? Description, string? Default, string? Pattern, bool Secret);

/// <summary>A heading whose own section holds runnable blocks.</summary>
/// <param name="Title">The heading text as written.</param>
/// <param name="Slug">A unique, URL-safe address for the procedure.</param>
/// <param name="Level">The heading level (1–6; 0 for blocks before any heading).</param>
/// <param name="Group">The texts of the parent headings, outermost first.</param>
/// <param name="Line">The 1-based source line of the heading.</param>
public sealed record RunbookProcedure(
    string Title,
    string Slug,
    int Level,
    IReadOnlyList<string> Group,
    int Line,
    IReadOnlyList<RunbookStep> Steps,
    IReadOnlyList<RunbookStep> Rollback)
{
    /// <summary>The slug of the procedure whose section this one's heading sits in (a sub-heading of it), or null.</summary>
    public string? Parent { get; init; }
}

/// <summary>One runnable fenced block.</summary>
/// <param name="Index">1-based position among the procedure's steps (or among its rollback steps).</param>
/// <param name="Language">bash, sh, shell, console, python, python3, pwsh or powershell, lower-cased (<see cref="StepShells"/>).</param>
/// <param name="Code">The shell text to run: in a prompt-style block only its commands, prompts stripped (see <see cref="Output"/>).</param>
/// <param name="Description">The block's leading comment lines, or null.</param>
/// <param name="Attributes">Attributes from the info string, e.g. <c>{name=restart timeout=60s}</c>.</param>
/// <param name="Line">The 1-based source line of the opening fence.</param>
public sealed record RunbookStep(
    int Index,
    string Language,
    string Code,
    string? Description,
    IReadOnlyDictionary<string, string> Attributes,
    int Line)
{
    /// <summary>The 1-based source line of each line of <see cref="Code"/> (console output lines are dropped, so they need not be consecutive).</summary>
    public IReadOnlyList<int> SourceLines { get; init; } = [];

    /// <summary>How the block was read: as a script, or prompt-style (commands after <c>$ </c>, the rest output).</summary>
    public BlockReading Reading { get; init; } = BlockReading.Script;

    /// <summary>The output lines of a prompt-style block: shown with the step (plan, run, API), never run.</summary>
    public IReadOnlyList<RunbookOutputLine> Output { get; init; } = [];

    /// <summary>The source line of the 0-based line <paramref name="codeLine"/> of <see cref="Code"/>.</summary>
    public int LineOf(int codeLine) => codeLine >= 0 && codeLine < SourceLines.Count ? SourceLines[codeLine] : Line + 1 + Math.Max(0, codeLine);

    /// <summary>The <c>name</c> attribute, or null.</summary>
    public string? Name => Attributes.GetValueOrDefault("name");

    /// <summary>The <c>timeout</c> attribute, when it parses.</summary>
    public TimeSpan? Timeout => RunbookAttributes.TryParseDuration(Attributes.GetValueOrDefault("timeout"), out var t) ? t : null;

    /// <summary>True when the step asks for confirmation.</summary>
    public bool Confirm => Flag("confirm");

    /// <summary>
    /// True when the step changes something (refused during a freeze): its <c>mutating</c> attribute when set,
    /// otherwise whether any of its commands changes or destroys something by <see cref="Commands"/>
    /// (<see cref="RunbookHazards.LooksMutating"/>).
    /// </summary>
    public bool Mutating => bool.TryParse(Attributes.GetValueOrDefault("mutating"), out var b) ? b : RunbookHazards.LooksMutating(Code, Commands, Language);

    /// <summary>The hazard table the step's commands are classed with (the config's <c>runbooks.commands</c> on the built-in one); not part of a step's JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CommandTable Commands { get; init; } = CommandTable.Default;

    /// <summary>True when the step is tagged as rollback.</summary>
    public bool IsRollback => Flag("rollback");

    /// <summary>The <c>on_fail</c> target as written (<c>#diagnose-oom</c>), or null: where a failure of this step goes instead of ending the run.</summary>
    public string? OnFail => Attributes.GetValueOrDefault(RunbookBranches.OnFailKey);

    private bool Flag(string key) => bool.TryParse(Attributes.GetValueOrDefault(key), out var b) && b;
}

/// <summary>Where a parameter came from.</summary>
public enum RunbookParameterKind
{
    /// <summary>Declared in front matter.</summary>
    Declared,

    /// <summary>A <c>&lt;placeholder&gt;</c> in step code.</summary>
    Placeholder,

    /// <summary>A <c>$VAR</c> / <c>${VAR}</c> the step does not set itself.</summary>
    Variable,
}

/// <summary>A value a run must supply. It reaches the step as the environment variable <see cref="EnvVar"/>.</summary>
public sealed record RunbookParameter(
    string Name,
    RunbookParameterKind Kind,
    RunbookParamDeclaration? Declaration,
    IReadOnlyList<RunbookParameterUse> Uses)
{
    /// <summary>The environment variable carrying the value: <c>VIGIL_PARAM_</c> + the name with non-[A-Za-z0-9_] turned to <c>_</c>.</summary>
    public string EnvVar => RunbookParser.EnvVarName(Name);
}

/// <summary>One place a parameter appears in step code.</summary>
/// <param name="Procedure">The procedure's slug.</param>
/// <param name="Step">The step's index within the procedure (or its rollback).</param>
/// <param name="InRollback">True when the step is a rollback step.</param>
/// <param name="Line">The 1-based source line.</param>
public sealed record RunbookParameterUse(string Procedure, int Step, bool InRollback, int Line);

/// <summary>A problem found while parsing; parsing never throws on content.</summary>
public sealed record RunbookDiagnostic(int Line, string Message)
{
    /// <summary>The lint rule that reports it; null: <c>parse</c>.</summary>
    public string? Rule { get; init; }

    /// <summary>For an unknown front matter key: the key (a project can ignore it with <c>runbooks.lint.ignore_front_matter_keys</c>).</summary>
    public string? FrontMatterKey { get; init; }
}
