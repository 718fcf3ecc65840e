using System.Globalization;
using Spectre.Console;
using Vigil.Core.Runbooks;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary>Fault-injection drills from the CLI: <c>vigil drill run RUNBOOK</c> (without <c>--procedure</c>) and <c>vigil drill list</c>.</summary>
internal static class DrillCommands
{
    /// <summary>How often <c>drill run</c> reads the drill while it waits for its end.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>Starts a drill and, unless told not to wait, prints each phase and the verdict; exit 1 on FAIL.</summary>
    public static async Task<int> RunAsync(CliContext ctx, string runbook, Dictionary<string, string> parameters, string? rto, string[]? confirm, bool wait, CancellationToken ct)
    {
        using var api = ctx.Api();
        var drill = await api.PostAsync<DrillView>("api/v1/drills", new DrillCreateRequest(runbook, parameters!, rto, confirm), ct);
        if (!wait)
        {
            ctx.Line($"Drill #{drill.Id} of {drill.Runbook} started on service {drill.Service}; see it with 'vigil drill list'.");
            return ExitCodes.Ok;
        }

        if (ctx.Format != OutputFormat.Json)
        {
            ctx.Line($"Drill #{drill.Id} of {drill.Runbook} on service {drill.Service} (RTO {drill.RtoSeconds:0} s): paging for {drill.Service} is held while it runs.");
        }

        var phase = "";
        while (drill.Status == DrillStatus.Running)
        {
            if (drill.Reason != phase && ctx.Format != OutputFormat.Json)
            {
                phase = drill.Reason;
                ctx.Line($"  {phase}…");
            }

            await Task.Delay(Poll, ct);
            drill = await api.GetAsync<DrillView>($"api/v1/drills/{drill.Id}", ct);
        }

        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(drill);
        }
        else
        {
            ctx.Line($"  time to inject  {S(drill.TimeToInjectSeconds)}");
            ctx.Line($"  time to detect  {S(drill.TimeToDetectSeconds)}{(drill.Incident is { } i ? $" (incident #{i})" : "")}");
            ctx.Line($"  time to recover {S(drill.TimeToRecoverSeconds)}");
            ctx.Line($"  total           {S(drill.TotalSeconds)} against an RTO of {drill.RtoSeconds:0} s");
            ctx.Line($"{Verdict(drill.Status)}: {drill.Reason}");
        }

        return drill.Status == DrillStatus.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary><c>vigil drill list</c>: the history and the trend per service.</summary>
    public static async Task<int> ListAsync(CliContext ctx, string? service, int limit, CancellationToken ct)
    {
        using var api = ctx.Api();
        var query = $"api/v1/drills?limit={limit}" + (service is null ? "" : "&service=" + Uri.EscapeDataString(service));
        var list = await api.GetAsync<DrillListView>(query, ct);
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(list);
            return ExitCodes.Ok;
        }

        if (list.Drills.Count == 0)
        {
            ctx.Line("No fault-injection drills yet: vigil drill run RUNBOOK. (Timed recovery drills: vigil drill list --timed.)");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("#", "RUNBOOK", "SERVICE", "INJECT", "DETECT", "RECOVER", "TOTAL", "RTO", "RESULT", "STARTED");
        foreach (var d in list.Drills)
        {
            table.AddRow($"{d.Id}", Markup.Escape(d.Runbook), Markup.Escape(d.Service), S(d.TimeToInjectSeconds), S(d.TimeToDetectSeconds), S(d.TimeToRecoverSeconds),
                S(d.TotalSeconds), $"{d.RtoSeconds:0} s", d.Status switch
                {
                    DrillStatus.Passed => "[green]PASS[/]",
                    DrillStatus.Failed => "[red]FAIL[/]",
                    DrillStatus.Running => "running",
                    _ => "interrupted",
                }, CliContext.Ago(d.StartedAt));
        }

        ctx.Console.Write(table);
        var trends = new Table().AddColumns("SERVICE", "DRILLS", "PASSED", "LAST", "LAST TOTAL", "MEAN TOTAL", "TREND");
        foreach (var t in list.Trends)
        {
            trends.AddRow(Markup.Escape(t.Service), $"{t.Drills}", $"{t.Passed}", Verdict(t.Last), S(t.LastTotalSeconds), S(t.MeanTotalSeconds), t.Trend);
        }

        ctx.Console.Write(trends);
        foreach (var d in list.Drills.Where(d => d.Status == DrillStatus.Failed).Take(3))
        {
            ctx.Line($"#{d.Id} FAIL: {d.Reason}");
        }

        return ExitCodes.Ok;
    }

    private static string Verdict(DrillStatus status) => status switch
    {
        DrillStatus.Passed => "PASS",
        DrillStatus.Failed => "FAIL",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string S(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0} s") : "-";
}
