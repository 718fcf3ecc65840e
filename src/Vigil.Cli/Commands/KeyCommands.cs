using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil keys list|rotate|retire ID|export --public</c>.</summary>
internal static class KeyCommands
{
    public static Command Build(CliEnvironment env)
    {
        var keys = new Command("keys", "Manage the keys that sign audit checkpoints, exports and backup manifests (admin).");

        var list = new Command("list", "List the keys: id, state, validity window; the signing key is marked.");
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var ring = await api.GetAsync<KeyRingView>("api/v1/keys", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(ring);
                return ExitCodes.Ok;
            }

            ctx.Line($"Keys from {ring.Source}{(ring.Path is null ? "" : " (" + ring.Path + ")")}:");
            var table = new Table().AddColumns("ID", "STATE", "SIGNING", "CREATED", "VALID FROM", "RETIRED");
            foreach (var k in ring.Keys)
            {
                table.AddRow(Markup.Escape(k.Id), k.State, k.Signing ? "yes" : "", Time(k.CreatedAt), Time(k.NotBefore), k.RetiredAt is { } r ? Time(r) : "-");
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit trail)" };
        var rotate = new Command("rotate", "Put a new signing key in service; the current one is retired and keeps verifying what it signed.") { reason };
        rotate.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var key = await api.PostAsync<KeyView>("api/v1/keys/rotate", new KeyChangeRequest(ctx.Parse.GetValue(reason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(key);
            }
            else
            {
                ctx.Line($"Key {key.Id} now signs; the previous key is retired. Export the public keys again ('vigil keys export --public') for offline verifiers.");
            }

            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "Key id (see 'vigil keys list')" };
        var at = new Option<string?>("--at") { Description = "When the key stopped being trusted (ISO 8601, default now); earlier for a key believed compromised" };
        var retire = new Command("retire", "Retire a key: signatures dated from --at on no longer verify with it.") { id, at, reason };
        retire.SetHandler(env, async (ctx, ct) =>
        {
            DateTimeOffset? since = null;
            if (ctx.Parse.GetValue(at) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    throw new CliException(ExitCodes.Usage, $"--at '{text}' is not a time; use ISO 8601 such as 2026-12-01T10:00:00Z.");
                }

                since = parsed;
            }

            using var api = ctx.Api();
            var key = await api.PostAsync<KeyView>($"api/v1/keys/{Uri.EscapeDataString(ctx.Parse.GetValue(id)!)}/retire",
                new KeyChangeRequest(ctx.Parse.GetValue(reason), since), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(key);
            }
            else
            {
                ctx.Line($"Key {key.Id} is retired since {Time(key.RetiredAt!.Value)}.");
            }

            return ExitCodes.Ok;
        });

        var publicOnly = new Option<bool>("--public") { Description = "Export only the public halves (the only export there is; required so nobody expects private keys)" };
        var file = new Argument<string?>("file") { Description = "Write to this file instead of standard output", Arity = ArgumentArity.ZeroOrOne };
        var export = new Command("export", "Write the public key ring, for 'vigil audit verify --keys FILE' on another machine.") { publicOnly, file };
        export.SetHandler(env, async (ctx, ct) =>
        {
            if (!ctx.Parse.GetValue(publicOnly))
            {
                throw new CliException(ExitCodes.Usage, "Only public keys can be exported: pass --public. Private keys never leave the server's data folder.");
            }

            using var api = ctx.Api();
            var json = await api.SendTextAsync(HttpMethod.Get, "api/v1/keys/public", ct);
            if (ctx.Parse.GetValue(file) is { } path)
            {
                var full = ctx.Env.Resolve(path);
                await File.WriteAllTextAsync(full, json, ct);
                ctx.Error($"Public keys written to {full}.");
            }
            else
            {
                ctx.Env.Out.Write(json);
            }

            return ExitCodes.Ok;
        });

        keys.Add(list);
        keys.Add(rotate);
        keys.Add(retire);
        keys.Add(export);
        return keys;
    }

    private static string Time(DateTimeOffset t) => t.ToString("u", CultureInfo.InvariantCulture);
}
