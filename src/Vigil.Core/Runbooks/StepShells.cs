namespace Vigil.Core.Runbooks;

/// <summary>
/// Which interpreter runs a step, from its fence's language: <c>bash</c>, <c>sh</c>, <c>shell</c> and <c>console</c> run
/// under bash; <c>python</c> and <c>python3</c> under <c>python3</c>; <c>pwsh</c> and <c>powershell</c> under PowerShell 7
/// (<c>pwsh</c>). Only bash steps have their placeholders rewritten; the others read parameters from the environment.
/// </summary>
public static class StepShells
{
    /// <summary>The interpreter of bash-family steps.</summary>
    public const string Bash = "bash";

    /// <summary>The interpreter of python steps.</summary>
    public const string Python = "python3";

    /// <summary>The interpreter of PowerShell steps.</summary>
    public const string Pwsh = "pwsh";

    /// <summary>The interpreter for a fence language (lower case), or null when the language is not runnable.</summary>
    public static string? Of(string language) => language.ToLowerInvariant() switch
    {
        "bash" or "sh" or "shell" or "console" => Bash,
        "python" or "python3" => Python,
        "pwsh" or "powershell" => Pwsh,
        _ => null,
    };

    /// <summary>True when steps in <paramref name="language"/> are shell text (bash reads them; placeholders are rewritten).</summary>
    public static bool IsShell(string language) => Of(language) == Bash;

    /// <summary>How the plan shows what runs a step: the command line its script is handed to.</summary>
    public static string CommandLine(string language) => Of(language) switch
    {
        Python => "python3 -u -c",
        Pwsh => "pwsh -NoLogo -NoProfile -NonInteractive -Command",
        _ => "bash -o pipefail -e -c",
    };
}
