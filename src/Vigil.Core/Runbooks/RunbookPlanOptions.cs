namespace Vigil.Core.Runbooks;

/// <summary>Settings that apply to every plan (from the <c>runbooks:</c> config section).</summary>
/// <param name="DefaultPattern">
/// The pattern a parameter value must match when the runbook declares none (<c>runbooks.param_pattern</c>,
/// by default <c>^[A-Za-z0-9._:/@+=-]{1,256}$</c>). It must match the whole value; it is anchored if it is not.
/// </param>
/// <param name="DefaultTimeout">The timeout of a step that does not set its own (<c>runbooks.default_timeout</c>).</param>
public sealed record RunbookPlanOptions(string DefaultPattern, TimeSpan DefaultTimeout)
{
    /// <summary>The options the config's <c>runbooks:</c> section sets.</summary>
    public static RunbookPlanOptions From(Config.RunbooksConfig runbooks)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        return new(runbooks.ParamPattern, runbooks.DefaultTimeout);
    }
}
