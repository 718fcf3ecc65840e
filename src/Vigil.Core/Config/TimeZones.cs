namespace Vigil.Core.Config;

/// <summary>Time zone lookup by IANA id, with suggestions for typos.</summary>
internal static class TimeZones
{
    private static readonly Lazy<string[]> _ids = new(() => TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct().ToArray());

    public static bool TryFind(string id, out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    public static string DidYouMean(string id) => Suggest.DidYouMean(id, _ids.Value);
}
