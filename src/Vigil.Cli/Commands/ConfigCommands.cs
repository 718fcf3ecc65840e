using System.CommandLine;
using Vigil.Core.Config;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil config validate|digest|show</c>: work on files alone, no server needed.</summary>
internal static class ConfigCommands
{
    public static readonly Option<string> ConfigFile = new("--config", "-c")
    {
        Description = "Path to vigil.yaml (env VIGIL_CONFIG; default ./vigil.yaml)",
    };

    public static string ResolveConfig(CliContext ctx) =>
        ctx.Env.Resolve(ctx.Parse.GetValue(ConfigFile) ?? ctx.Env.Variable("VIGIL_CONFIG") ?? "vigil.yaml");

    public static Command Build(CliEnvironment env)
    {
        var config = new Command("config", "Validate, fingerprint and show the config (works without a server).");

        var validate = new Command("validate", "Check the config and every include; exit 0 when valid, 2 with every error listed.") { ConfigFile };
        validate.SetHandler(env, (ctx, _) =>
        {
            var (result, path) = Load(ctx);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new
                {
                    valid = result.Success,
                    file = path,
                    digest = result.Config?.Digest,
                    files = result.SourceFiles,
                    errors = result.Errors.Select(Json),
                    warnings = result.Warnings.Select(Json),
                });
            }
            else
            {
                // Warnings first, on stderr like errors, so a valid config's one stdout line stays parseable.
                foreach (var w in result.Warnings)
                {
                    ctx.Error(Warning(w));
                }

                if (result.Success)
                {
                    ctx.Line($"{path}: valid ({result.SourceFiles.Count} file(s), {result.Config!.Services.Count} service(s), digest {result.Config.Digest})"
                        + (result.Warnings.Count > 0 ? $", {result.Warnings.Count} warning(s)" : string.Empty));
                }
                else
                {
                    foreach (var e in result.Errors)
                    {
                        ctx.Error(e.ToString());
                    }

                    ctx.Error($"{result.Errors.Count} error(s) in {path}; nothing was changed.");
                }
            }

            return Task.FromResult(result.Success ? ExitCodes.Ok : ExitCodes.Usage);
        });

        var digest = new Command("digest", "Print the SHA-256 digest of the normalized config (stable under key order, whitespace and comments).") { ConfigFile };
        digest.SetHandler(env, (ctx, _) =>
        {
            var (result, _) = LoadOrThrow(ctx);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { digest = result.Config!.Digest });
            }
            else
            {
                ctx.Line(result.Config!.Digest);
            }

            return Task.FromResult(ExitCodes.Ok);
        });

        var show = new Command("show", "Print the normalized config with secrets masked.") { ConfigFile };
        show.SetHandler(env, (ctx, _) =>
        {
            var (result, _) = LoadOrThrow(ctx);
            ctx.Env.Out.Write(ConfigRenderer.ToYaml(result.Config!));
            return Task.FromResult(ExitCodes.Ok);
        });

        config.Add(validate);
        config.Add(digest);
        config.Add(show);
        return config;
    }

    private static object Json(ConfigError e) => new { file = e.File, line = e.Line, column = e.Column, path = e.Path, message = e.Message };

    /// <summary><c>file:line:col: warning: path: message</c>.</summary>
    private static string Warning(ConfigError w) =>
        w.Path.Length == 0 ? $"{w.File}:{w.Line}:{w.Column}: warning: {w.Message}" : $"{w.File}:{w.Line}:{w.Column}: warning: {w.Path}: {w.Message}";

    private static (ConfigLoadResult Result, string Path) Load(CliContext ctx)
    {
        var path = ResolveConfig(ctx);
        return (ConfigLoader.Load(path, ctx.Env.Variable), path);
    }

    internal static (ConfigLoadResult Result, string Path) LoadOrThrow(CliContext ctx)
    {
        var (result, path) = Load(ctx);
        if (!result.Success)
        {
            throw new CliException(ExitCodes.Usage,
                $"{path} is not valid:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}{Environment.NewLine}Run 'vigil config validate' for details.");
        }

        return (result, path);
    }
}
