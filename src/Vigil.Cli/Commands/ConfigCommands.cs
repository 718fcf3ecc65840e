using System.CommandLine;
using Vigil.Core.Config;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil config validate|digest|show|diff</c>: validate, digest and show work on files alone; <c>digest --expect</c>
/// and <c>diff</c> ask the server for its running config's digests to find drift.
/// </summary>
internal static partial class ConfigCommands
{
    public static readonly Option<string> ConfigFile = new("--config", "-c")
    {
        Description = "Path to vigil.yaml (env VIGIL_CONFIG; default ./vigil.yaml)",
    };

    public static string ResolveConfig(CliContext ctx) =>
        ctx.Env.Resolve(ctx.Parse.GetValue(ConfigFile) ?? ctx.Env.Variable("VIGIL_CONFIG") ?? "vigil.yaml");

    public static Command Build(CliEnvironment env)
    {
        var config = new Command("config", "Validate, fingerprint and show the config (without a server); check a server for drift (digest --expect, diff).");

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

        var expect = new Option<string?>("--expect")
        {
            Description = "Check the server's running config against this digest instead: exit 0 when equal, 1 naming the differing sections when not",
        };
        var digest = new Command("digest", "Print the SHA-256 digest of the normalized config (stable under key order, whitespace and comments); "
            + "with --expect, check the running server's digest for drift.") { ConfigFile, expect };
        digest.SetHandler(env, async (ctx, ct) =>
        {
            if (ctx.Parse.GetValue(expect) is { } expected)
            {
                return await ExpectAsync(ctx, expected.Trim(), ct);
            }

            var (result, _) = LoadOrThrow(ctx);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { digest = result.Config!.Digest });
            }
            else
            {
                ctx.Line(result.Config!.Digest);
            }

            return ExitCodes.Ok;
        });

        var diff = new Command("diff", "Compare a config file with the server's running config section by section: exit 0 when they are the same, "
            + "1 listing the sections (and entries such as services/edge-api) that differ, are added or are removed. Names only, never values.") { ConfigFile };
        diff.SetHandler(env, async (ctx, ct) =>
        {
            var (result, path) = LoadOrThrow(ctx);
            using var api = ctx.Api();
            var running = await RunningAsync(api, ct);
            var drift = ConfigDrift.Compare(ConfigDigest.Sections(result.Config!), running.Sections);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { file = path, fileDigest = result.Config!.Digest, running = running.Digest, same = drift.Count == 0, sections = DriftJson(drift) });
            }
            else if (drift.Count == 0)
            {
                ctx.Line($"{path} matches the running config ({running.Digest}).");
            }
            else
            {
                ctx.Line($"{path} ({result.Config!.Digest}) differs from the running config ({running.Digest}, loaded from {running.Path}):");
                WriteDrift(ctx, drift);
            }

            return drift.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
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
        config.Add(diff);
        return config;
    }

    /// <summary>
    /// <c>digest --expect</c>: the server's running digest against the expected one. The differing sections can only
    /// be named against a config that has the expected digest, so the local file (<c>-c</c>) is used when it has it.
    /// </summary>
    private static async Task<int> ExpectAsync(CliContext ctx, string expected, CancellationToken ct)
    {
        if (!DigestShape().IsMatch(expected))
        {
            throw new CliException(ExitCodes.Usage,
                $"--expect '{expected}' is not a config digest; give one as 'vigil config digest' prints it: sha256: and 64 lowercase hex digits.");
        }

        using var api = ctx.Api();
        var running = await RunningAsync(api, ct);
        var same = string.Equals(running.Digest, expected, StringComparison.Ordinal);
        IReadOnlyList<ConfigSectionDrift>? drift = null;
        string? why = null;
        if (!same)
        {
            var path = ResolveConfig(ctx);
            var local = File.Exists(path) ? ConfigLoader.Load(path, ctx.Env.Variable) : null;
            if (local is { Success: true } && local.Config!.Digest == expected)
            {
                drift = ConfigDrift.Compare(ConfigDigest.Sections(local.Config), running.Sections);
            }
            else
            {
                why = local is null ? $"{path} does not exist"
                    : !local.Success ? $"{path} is not valid"
                    : $"{path} has digest {local.Config!.Digest}, not the expected one";
                why = $"The differing sections cannot be named: {why}. Run 'vigil config diff -c FILE' with the file whose digest is {expected}.";
            }
        }

        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(new { expected, running = running.Digest, same, sections = drift is null ? null : DriftJson(drift), note = why });
        }
        else if (same)
        {
            ctx.Line($"The running config is {expected}, as expected.");
        }
        else
        {
            ctx.Line($"Drift: the server runs {running.Digest} (loaded from {running.Path} at {running.LoadedAt:u}), expected {expected}.");
            if (drift is not null)
            {
                WriteDrift(ctx, drift);
            }
            else
            {
                ctx.Error(why!);
            }
        }

        return same ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<ConfigDigestView> RunningAsync(ApiClient api, CancellationToken ct)
    {
        var running = await api.GetAsync<ConfigDigestView>("api/v1/config/digest", ct);
        if (running.Format != ConfigDigest.FormatVersion)
        {
            throw new CliException(ExitCodes.Failed,
                $"The server digests configs as {running.Format} and this vigil as {ConfigDigest.FormatVersion}; their digests cannot be compared. Use a vigil CLI of the server's version.");
        }

        return running;
    }

    /// <summary>One line per differing part: sections flush left, their entries indented below them.</summary>
    private static void WriteDrift(CliContext ctx, IReadOnlyList<ConfigSectionDrift> drift)
    {
        foreach (var d in drift)
        {
            var indent = d.Section.Contains('/', StringComparison.Ordinal) ? "    " : "  ";
            ctx.Line($"{indent}{Kind(d.Kind),-8} {d.Section}");
        }

        ctx.Line("(added: in the file, not running; removed: running, not in the file. Values are not shown: see 'vigil config show' and GET /api/v1/config, which mask secrets.)");
    }

    private static object DriftJson(IReadOnlyList<ConfigSectionDrift> drift) => drift.Select(d => new { section = d.Section, change = Kind(d.Kind) }).ToList();

    private static string Kind(ConfigDriftKind kind) => kind switch
    {
        ConfigDriftKind.Changed => "changed",
        ConfigDriftKind.Added => "added",
        ConfigDriftKind.Removed => "removed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [System.Text.RegularExpressions.GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial System.Text.RegularExpressions.Regex DigestShape();

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
