using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Server.Auth;

namespace Vigil.Server.WebConsole;

/// <summary>
/// What every console page shares: the request, the signed-in principal, whether a form is allowed
/// (the role of the API route it mirrors), and how an API answer reads as a message.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    internal ConsoleActions Actions { get; set; } = null!;

    [Inject]
    internal NavigationManager Nav { get; set; } = null!;

    /// <summary>The signed-in user; ConsoleGate has checked there is one before a protected page runs.</summary>
    public Principal Me => HttpContext?.Items[TokenAuthMiddleware.PrincipalKey] as Principal
        ?? throw new InvalidOperationException("No console session on a protected page.");

    /// <summary>Set by a form handler when the action was refused: the API's own problem detail.</summary>
    protected string? Refusal { get; set; }

    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    /// <summary>Whether the user may use <paramref name="form"/>: controls they may not use are not shown.</summary>
    protected bool Can(string form) => Actions.Allows(Me, form);

    protected string Form(string name) => HttpContext?.Request.HasFormContentType == true ? HttpContext.Request.Form[name].ToString() : "";

    protected string Query(string name) => HttpContext?.Request.Query[name].ToString() ?? "";

    /// <summary>
    /// Applies an API answer: a refusal becomes <see cref="Refusal"/> (shown on the page, as the CLI
    /// prints it); success redirects to <paramref name="then"/> so a reload does not post again.
    /// </summary>
    protected void Answer(IResult result, string then)
    {
        Refusal = ProblemText(result);
        if (Refusal is null)
        {
            Nav.NavigateTo(then);
        }
    }

    internal static string? ProblemText(IResult result) => result switch
    {
        ProblemHttpResult p => p.ProblemDetails.Detail ?? p.ProblemDetails.Title,
        ValidationProblem v => string.Join(" ", v.ProblemDetails.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
        IStatusCodeHttpResult { StatusCode: >= 400 } s => $"Refused ({s.StatusCode}).",
        _ => null,
    };

    internal static T? ValueOf<T>(IResult result) => result is IValueHttpResult<T> v ? v.Value : default;

    protected static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";

    protected static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return "";
        }

        var d = now - t;
        return d.TotalMinutes < 1 ? "just now"
            : d.TotalHours < 1 ? $"{(int)d.TotalMinutes} min ago"
            : d.TotalDays < 1 ? $"{(int)d.TotalHours} h ago"
            : $"{(int)d.TotalDays} d ago";
    }

    /// <summary>The CSS class of a state or status word (ok, warning, critical, triggered, …).</summary>
    protected static string Tone(string? state) => state switch
    {
        "ok" or "resolved" or "closed" or "succeeded" => "tone-ok",
        "warning" or "acknowledged" or "mitigated" or "waiting" or "pending_approval" => "tone-warn",
        "critical" or "triggered" or "failed" => "tone-bad",
        _ => "tone-muted",
    };
}
