using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil slo …</c>: service level objectives.</summary>
internal static class SloCommands
{
    public static Command Build(CliEnvironment env)
    {
        var slo = new Command("slo", "Service level objectives: error budgets, burn rates, Prometheus rules.");
        slo.Add(SloRulesCommand.Build(env));
        return slo;
    }
}
