using Cronos;

namespace Vigil.Core.Config;

/// <summary>Cron parsing shared by validation and the engines: five fields, six with seconds, or a macro.</summary>
public static class CronRules
{
    /// <summary>
    /// Parses <paramref name="text"/>: five fields (minute hour day-of-month month day-of-week),
    /// six fields with seconds first, or a macro such as <c>@daily</c>.
    /// </summary>
    public static bool TryParse(string? text, out CronExpression? expression, out string? error)
    {
        expression = null;
        var s = text?.Trim() ?? string.Empty;
        var fields = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!s.StartsWith('@') && fields.Length is not (5 or 6))
        {
            error = $"a cron expression has 5 fields (minute hour day-of-month month day-of-week), found {fields.Length}; for example \"0 2 * * *\" is 02:00 every day";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(s, fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            error = null;
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message.Replace("The given cron expression has an invalid format. ", string.Empty, StringComparison.Ordinal)
                + "; the fields are minute hour day-of-month month day-of-week, like \"0 2 * * *\"";
            return false;
        }
    }
}
