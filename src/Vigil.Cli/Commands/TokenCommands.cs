using System.CommandLine;
using Spectre.Console;
using Vigil.Core.Auth;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil token create|list|revoke</c>.</summary>
internal static class TokenCommands
{
    public static Command Build(CliEnvironment env)
    {
        var token = new Command("token", "Manage API tokens (admin).");

        var name = new Option<string>("--name") { Description = "A name for the token; it becomes the audit actor", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.Names)}", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit trail)" };
        var create = new Command("create", "Create a token and print its secret (shown once).") { name, role, reason };
        create.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var created = await api.PostAsync<CreatedTokenView>("api/v1/tokens",
                new CreateTokenRequest(ctx.Parse.GetValue(name), ctx.Parse.GetValue(role), ctx.Parse.GetValue(reason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(created);
            }
            else
            {
                ctx.Line($"Created token {created.Token.Id} '{created.Token.Name}' with role {created.Token.Role.ToName()}. Its secret, shown only now:");
                ctx.Line(created.Secret);
            }

            return ExitCodes.Ok;
        });

        var all = new Option<bool>("--all") { Description = "Include revoked tokens" };
        var list = new Command("list", "List tokens (prefixes only, never secrets).") { all };
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var tokens = await api.GetAsync<List<TokenView>>($"api/v1/tokens?all={(ctx.Parse.GetValue(all) ? "true" : "false")}", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(tokens);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "NAME", "ROLE", "PREFIX", "CREATED", "BY", "STATE");
            foreach (var t in tokens)
            {
                table.AddRow(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(t.Name), t.Role.ToName(), Markup.Escape(t.Prefix + "…"),
                    t.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(t.CreatedBy),
                    t.RevokedAt is { } r ? $"revoked {r:u}" : "active");
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "Token id (see 'vigil token list')" };
        var revoke = new Command("revoke", "Revoke a token; requests with it fail from now on.") { id, reason };
        revoke.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var why = ctx.Parse.GetValue(reason);
            var path = $"api/v1/tokens/{ctx.Parse.GetValue(id)}" + (why is null ? "" : $"?reason={Uri.EscapeDataString(why)}");
            var revoked = await api.DeleteAsync<TokenView>(path, ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(revoked);
            }
            else
            {
                ctx.Line($"Token {revoked.Id} '{revoked.Name}' is revoked.");
            }

            return ExitCodes.Ok;
        });

        token.Add(create);
        token.Add(list);
        token.Add(revoke);
        return token;
    }
}
