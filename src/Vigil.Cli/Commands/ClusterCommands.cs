using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil cluster status</c>: the nodes sharing the store, their heartbeats, the leader and config drift.</summary>
internal static class ClusterCommands
{
    public static Command Build(CliEnvironment env)
    {
        var cluster = new Command("cluster", "The nodes that share this Vigil's store (one on SQLite, any number on PostgreSQL).");
        var status = new Command("status", "Show every node with its last heartbeat, live or dead, the leader, checks per node and config digest; flags config drift.");
        status.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var view = await api.GetAsync<ClusterView>("api/v1/cluster", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(view);
                return ExitCodes.Ok;
            }

            var c = ctx.Console;
            var live = view.Nodes.Count(n => n.Live);
            c.MarkupLine($"{Markup.Escape(view.Mode)}: {view.Nodes.Count.ToString(CultureInfo.InvariantCulture)} node(s), {live.ToString(CultureInfo.InvariantCulture)} live; " +
                $"lease TTL {view.LeaseTtlSeconds.ToString(CultureInfo.InvariantCulture)}s; answered by {Markup.Escape(view.Self)}");
            c.MarkupLine(view.Leader is { } l
                ? $"leader  {Markup.Escape(l.Node)}" + (l.Token is { } t ? $" (token {t.ToString(CultureInfo.InvariantCulture)}, lease until {l.ExpiresAt:u})" : "")
                : "[red]leader  none: no node holds the leader lease; escalation and timers wait until one does[/]");
            if (view.Drift)
            {
                c.MarkupLine("[red bold]config drift:[/] [red]live nodes run configs with different digests (marked *); deploy the same vigil.yaml to every node[/]");
            }

            if (view.UnownedChecks > 0)
            {
                c.MarkupLine($"[yellow]{view.UnownedChecks.ToString(CultureInfo.InvariantCulture)} check(s) are held by no live node and not probed now: their shards move when the leases of a dead node lapse (within one lease TTL)[/]");
            }

            var table = new Table().AddColumns("NODE", "ADDRESS", "VERSION", "HEARTBEAT", "STATE", "ROLE", "SHARDS", "CHECKS", "CONFIG DIGEST");
            foreach (var n in view.Nodes)
            {
                var age = n.AgeSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s ago";
                var digest = (n.ConfigDigest.Length > 19 ? n.ConfigDigest[..19] : n.ConfigDigest) + (n.DigestDrift ? " *" : "");
                table.AddRow(Markup.Escape(n.Id + (n.Self ? " (this)" : "")), Markup.Escape(n.Address), Markup.Escape(n.Version), age,
                    !n.Live ? "[red]dead[/]" : n.Ready ? "[green]live, ready[/]" : "[yellow]live, not ready[/]", n.Leader ? "leader" : "-",
                    n.Shards?.ToString(CultureInfo.InvariantCulture) ?? "all", n.Checks.ToString(CultureInfo.InvariantCulture),
                    n.DigestDrift ? $"[red]{Markup.Escape(digest)}[/]" : Markup.Escape(digest));
            }

            c.Write(table);
            foreach (var n in view.Nodes.Where(n => n.Live && n.NotReady is not null))
            {
                c.MarkupLine($"[yellow]{Markup.Escape(n.Id)} not ready:[/] {Markup.Escape(n.NotReady!)}");
            }

            return ExitCodes.Ok;
        });
        cluster.Add(status);
        return cluster;
    }
}
