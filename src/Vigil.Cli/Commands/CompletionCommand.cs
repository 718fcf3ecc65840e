using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil completion bash|zsh|fish</c>: prints a shell completion script. Each script asks vigil itself
/// through System.CommandLine's <c>[suggest:POSITION]</c> directive, so completions always match the
/// installed version's commands and options, without the dotnet-suggest tool.
/// </summary>
internal static class CompletionCommand
{
    internal const string Bash = """
        # vigil completion for bash: source <(vigil completion bash), or save it to
        # /etc/bash_completion.d/vigil (or ~/.local/share/bash-completion/completions/vigil).
        _vigil_complete() {
            local IFS=$'\n'
            local line="${COMP_LINE:0:COMP_POINT}"
            local current="${COMP_WORDS[COMP_CWORD]}"
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "$current"))
        }
        complete -o default -F _vigil_complete vigil
        """;

    internal const string Zsh = """
        #compdef vigil
        # vigil completion for zsh: source <(vigil completion zsh), or save it as _vigil in a folder of $fpath.
        _vigil() {
            local -a suggestions
            suggestions=("${(@f)$("${words[1]}" "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
            compadd -a suggestions
        }
        if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
            _vigil "$@"
        else
            compdef _vigil vigil
        fi
        """;

    internal const string Fish = """
        # vigil completion for fish: vigil completion fish > ~/.config/fish/completions/vigil.fish
        function __vigil_complete
            set -l line (commandline -cp)
            set -l exe (commandline -opc)[1]
            $exe "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c vigil -f -a '(__vigil_complete)'
        """;

    public static Command Build(CliEnvironment env)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print the shell completion script for bash, zsh or fish: source <(vigil completion bash)") { shell };
        command.SetHandler(env, (ctx, _) =>
        {
            ctx.Line(ctx.Parse.GetValue(shell) switch
            {
                "zsh" => Zsh,
                "fish" => Fish,
                _ => Bash,
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
