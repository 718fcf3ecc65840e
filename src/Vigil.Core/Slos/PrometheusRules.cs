using System.Globalization;
using System.Text;
using Vigil.Core.Config;

namespace Vigil.Core.Slos;

/// <summary>
/// Prometheus recording and alerting rules equivalent to a Prometheus-backed SLO (Sloth/Pyrra style),
/// for teams who want their SLO alerting in Prometheus: <c>vigil slo rules ID</c>. Pure: a definition
/// in, a rule file out. See docs/slos.md ("Exporting rules to Prometheus").
/// </summary>
public static class PrometheusRules
{
    /// <summary>The error-ratio windows always recorded: the SRE workbook's alert windows.</summary>
    public static IReadOnlyList<TimeSpan> StandardWindows { get; } =
    [
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(3),
    ];

    /// <summary>The name of the alerting rules (one per burn-rate alert; labels tell them apart).</summary>
    public const string AlertName = "VigilSloErrorBudgetBurn";

    /// <summary>Why rules cannot be generated for this SLO, or null when they can.</summary>
    public static string? Unsupported(SloDefinition slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return slo.Kind == SliKind.Prometheus && slo.Prometheus is not null
            ? null
            : $"SLO `{slo.Id}` has a{(slo.Kind == SliKind.Availability ? "n" : string.Empty)} {slo.Kind.ToString().ToLowerInvariant()} SLI read from Vigil's check history; "
              + "Prometheus rules need a `prometheus` SLI (good and total counter selectors). Vigil's own metrics are no substitute: "
              + "`vigil_probes_total` has no per-check label (labels stay bounded), so Vigil evaluates and alerts on this SLO itself";
    }

    /// <summary>
    /// The budget period the rules record: the rolling window, or 30d for <c>calendar_month</c>
    /// (PromQL ranges are durations, not calendar months).
    /// </summary>
    public static TimeSpan Period(SloDefinition slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return slo.Window.Rolling ?? TimeSpan.FromDays(30);
    }

    /// <summary>Every window recorded: the standard ones, the SLO's alert windows and its period, shortest first.</summary>
    public static IReadOnlyList<TimeSpan> Windows(SloDefinition slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return StandardWindows
            .Concat(slo.Alerts.SelectMany(a => new[] { a.Long, a.Short }))
            .Append(Period(slo))
            .Distinct()
            .Order()
            .ToList();
    }

    /// <summary>The recording rule of the error ratio over <paramref name="window"/>, like <c>slo:sli_error:ratio_rate5m</c>.</summary>
    public static string ErrorRatioRecord(TimeSpan window) => "slo:sli_error:ratio_rate" + Range(window);

    /// <summary>A PromQL duration in one unit (d, h, m, s or ms), like <c>30d</c> or <c>90m</c>.</summary>
    public static string Range(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "a PromQL range must be positive");
        }

        foreach (var (unit, size) in new[] { ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)) })
        {
            if (span.Ticks % size.Ticks == 0)
            {
                return (span.Ticks / size.Ticks).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return ((long)Math.Ceiling(span.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>PromQL of the events of <paramref name="selector"/> per second over <paramref name="window"/>, summed over its series.</summary>
    public static string Rate(string selector, TimeSpan window) => $"sum(rate({selector.Trim()}[{Range(window)}]))";

    /// <summary>PromQL of the events of <paramref name="selector"/> over <paramref name="window"/>, summed over its series (what the engine asks).</summary>
    public static string Increase(string selector, TimeSpan window) => $"sum(increase({selector.Trim()}[{Range(window)}]))";

    /// <summary>
    /// Whether <paramref name="expression"/> is an instant vector selector, like
    /// <c>http_requests_total{job="api",code!~"5.."}</c>: a metric name, label matchers, or both, and
    /// nothing else (Vigil puts the range and the function around it). Null when it is; else why not.
    /// </summary>
    public static string? SelectorProblem(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var s = expression.Trim();
        var i = 0;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or ':'))
        {
            i++;
        }

        if (i > 0 && char.IsAsciiDigit(s[0]))
        {
            return "a metric name cannot start with a digit";
        }

        var named = i > 0;
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }

        if (i < s.Length && s[i] == '{')
        {
            i++;
            var quote = '\0';
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (char.IsControl(c))
                {
                    return "it contains a control character";
                }

                if (quote != '\0')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c is '"' or '\'' or '`')
                {
                    quote = c;
                }
                else if (c == '}')
                {
                    break;
                }
                else if (c is '{' or '[' or '(')
                {
                    return $"`{c}` inside the label matchers";
                }
            }

            if (i >= s.Length)
            {
                return "the label matchers `{…}` are not closed";
            }

            i++;
            named = true;
        }

        if (!named)
        {
            return "it is not a metric name or label matchers";
        }

        return i == s.Length
            ? null
            : $"unexpected `{s[i..]}` after the selector (no functions, ranges or operators: Vigil wraps the selector in sum(rate(…[window])) itself)";
    }

    /// <summary>The rule file for <paramref name="slo"/>, YAML that <c>promtool check rules</c> accepts.</summary>
    /// <exception cref="ArgumentException">The SLO has no Prometheus SLI (see <see cref="Unsupported"/>).</exception>
    public static string Generate(SloDefinition slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        if (Unsupported(slo) is { } why)
        {
            throw new ArgumentException(why, nameof(slo));
        }

        var prom = slo.Prometheus!;
        var budget = Number(slo.Budget);
        var period = Period(slo);
        var match = $"{{vigil_slo={Quote(slo.Id)}}}";
        var sb = new StringBuilder();
        sb.Append("# Prometheus rules for the Vigil SLO ").Append(slo.Id).Append(" of service ").Append(slo.Service)
            .Append(": ").Append(slo.ObjectiveText).Append(" over ").Append(slo.Window.ToConfigString()).Append('\n');
        sb.Append("# Generated by `vigil slo rules ").Append(slo.Id).Append("`; regenerate it when the SLO changes.\n");
        if (slo.Window.IsCalendarMonth)
        {
            sb.Append("# The SLO's window is the calendar month; PromQL ranges are durations, so the budget period here is 30d.\n");
        }

        sb.Append("# Error ratio = 1 - good/total; burn rate = error ratio / ").Append(budget).Append(" (the error budget).\n");
        sb.Append("groups:\n");

        sb.Append("  - name: ").Append(Quote($"vigil-slo-{slo.Id}-sli")).Append('\n');
        sb.Append("    rules:\n");
        foreach (var window in Windows(slo))
        {
            Record(sb, ErrorRatioRecord(window), $"1 - ({Rate(prom.Good, window)} / {Rate(prom.Total, window)})", slo);
        }

        sb.Append("  - name: ").Append(Quote($"vigil-slo-{slo.Id}-meta")).Append('\n');
        sb.Append("    rules:\n");
        Record(sb, "slo:objective:ratio", $"vector({Number(slo.Objective)})", slo);
        Record(sb, "slo:error_budget:ratio", $"vector({budget})", slo);
        Record(sb, "slo:current_burn_rate:ratio", $"{ErrorRatioRecord(SloMath.ProjectionWindow(slo))}{match} / {budget}", slo);
        Record(sb, "slo:period_burn_rate:ratio", $"{ErrorRatioRecord(period)}{match} / {budget}", slo);
        Record(sb, "slo:period_error_budget_remaining:ratio", $"1 - slo:period_burn_rate:ratio{match}", slo);

        if (slo.Alerting && slo.Alerts.Count > 0)
        {
            sb.Append("  - name: ").Append(Quote($"vigil-slo-{slo.Id}-alerts")).Append('\n');
            sb.Append("    rules:\n");
            foreach (var rule in slo.Alerts)
            {
                var threshold = $"({Number(rule.Factor)} * {budget})";
                var action = rule.Action == BurnAction.Page ? "page" : "ticket";
                sb.Append("      - alert: ").Append(AlertName).Append('\n');
                sb.Append("        expr: |-\n");
                sb.Append("          ").Append(ErrorRatioRecord(rule.Long)).Append(match).Append(" >= ").Append(threshold).Append('\n');
                sb.Append("          and\n");
                sb.Append("          ").Append(ErrorRatioRecord(rule.Short)).Append(match).Append(" >= ").Append(threshold).Append('\n');
                sb.Append("        labels:\n");
                Label(sb, "severity", slo.SeverityFor(rule.Action), 10);
                Label(sb, "vigil_slo", slo.Id, 10);
                Label(sb, "vigil_service", slo.Service, 10);
                Label(sb, "vigil_action", action, 10);
                Label(sb, "vigil_burn_rate", Number(rule.Factor), 10);
                Label(sb, "vigil_long_window", Range(rule.Long), 10);
                Label(sb, "vigil_short_window", Range(rule.Short), 10);
                sb.Append("        annotations:\n");
                Label(sb, "title", $"SLO {slo.Id} burning {Number(rule.Factor)}x its error budget ({slo.Service})", 10);
                Label(sb, "summary",
                    $"SLO {slo.Id} ({slo.ObjectiveText} over {slo.Window.ToConfigString()}) has an error ratio of {{{{ $value | humanizePercentage }}}} over {Range(rule.Long)}, "
                    + $"at least {Number(rule.Factor)}x its error budget over {Range(rule.Long)} and {Range(rule.Short)} ({action})", 10);
            }
        }

        return sb.ToString();
    }

    private static void Record(StringBuilder sb, string name, string expr, SloDefinition slo)
    {
        sb.Append("      - record: ").Append(name).Append('\n');
        sb.Append("        expr: |-\n");
        sb.Append("          ").Append(expr).Append('\n');
        sb.Append("        labels:\n");
        Label(sb, "vigil_slo", slo.Id, 10);
        Label(sb, "vigil_service", slo.Service, 10);
    }

    private static void Label(StringBuilder sb, string name, string value, int indent) =>
        sb.Append(' ', indent).Append(name).Append(": ").Append(Quote(value)).Append('\n');

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML), also a valid PromQL string.</summary>
    private static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                _ when char.IsControl(c) => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }

    private static string Number(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
