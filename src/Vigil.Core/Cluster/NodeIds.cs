namespace Vigil.Core.Cluster;

/// <summary>Node ids: what one may look like, and the default one made from the host name.</summary>
public static class NodeIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string id) =>
        id.Length is > 0 and <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The host name reduced to the allowed characters, plus <paramref name="suffix"/> (random, so two nodes on one host differ).</summary>
    public static string FromHost(string host, string suffix)
    {
        ArgumentNullException.ThrowIfNull(host);
        var clean = new string(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        if (clean.Length == 0)
        {
            clean = "vigil";
        }

        var max = MaxLength - suffix.Length - 1;
        return (clean.Length > max ? clean[..max] : clean) + "-" + suffix;
    }
}
