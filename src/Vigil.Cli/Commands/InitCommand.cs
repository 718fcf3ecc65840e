using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil init</c>: write a starter vigil.yaml that validates.</summary>
internal static class InitCommand
{
    public static Command Build(CliEnvironment env)
    {
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var name = new Option<string>("--name") { Description = "The installation's name", DefaultValueFactory = _ => "my-vigil" };
        var init = new Command("init", "Write a starter vigil.yaml.") { ConfigCommands.ConfigFile, force, name };
        init.SetHandler(env, (ctx, _) =>
        {
            var path = ConfigCommands.ResolveConfig(ctx);
            if (File.Exists(path) && !ctx.Parse.GetValue(force))
            {
                throw new CliException(ExitCodes.Usage, $"{path} exists; pass --force to overwrite it.");
            }

            var id = ctx.Parse.GetValue(name)!;
            // A config into a folder that does not exist yet: create it, as 'vigil runbook new' would.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Starter.Replace("__NAME__", id, StringComparison.Ordinal));
            ctx.Line($"Wrote {path}. Next: 'vigil config validate -c {path}' and 'vigil serve -c {path}'.");
            return Task.FromResult(ExitCodes.Ok);
        });
        return init;
    }

    internal const string Starter = """
        # Vigil configuration. Reference: docs/configuration.md
        vigil:
          name: __NAME__
          environment: production
          listen: http://127.0.0.1:8080

        services:
          - id: website
            name: Website
            checks:
              - id: home
                http: { url: "http://127.0.0.1:8081/", expect_status: [200] }
                every: 30s
                timeout: 5s
                fail_after: 3

        """;
}
