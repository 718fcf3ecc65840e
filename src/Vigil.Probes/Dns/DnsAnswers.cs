using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Vigil.Core.Config;

namespace Vigil.Probes.Dns;

/// <summary>Maps record types and turns answers into comparable text.</summary>
internal static class DnsAnswers
{
    public static QueryType QueryTypeOf(DnsRecordType type) => type switch
    {
        DnsRecordType.A => QueryType.A,
        DnsRecordType.Aaaa => QueryType.AAAA,
        DnsRecordType.Cname => QueryType.CNAME,
        DnsRecordType.Mx => QueryType.MX,
        DnsRecordType.Txt => QueryType.TXT,
        DnsRecordType.Ns => QueryType.NS,
        DnsRecordType.Srv => QueryType.SRV,
        DnsRecordType.Caa => QueryType.CAA,
        DnsRecordType.Ptr => QueryType.PTR,
        DnsRecordType.Soa => QueryType.SOA,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown DNS record type"),
    };

    public static string Name(DnsRecordType type) => QueryTypeOf(type).ToString();

    /// <summary>The full text of an answer as a zone file would show its data ("10 mail.example.com").</summary>
    public static string Text(DnsResourceRecord record) => record switch
    {
        ARecord a => a.Address.ToString(),
        AaaaRecord a => a.Address.ToString(),
        CNameRecord c => Host(c.CanonicalName),
        MxRecord m => $"{m.Preference} {Host(m.Exchange)}",
        TxtRecord t => string.Concat(t.Text),
        NsRecord n => Host(n.NSDName),
        SrvRecord s => $"{s.Priority} {s.Weight} {s.Port} {Host(s.Target)}",
        CaaRecord c => $"{c.Flags} {c.Tag} \"{c.Value}\"",
        PtrRecord p => Host(p.PtrDomainName),
        SoaRecord s => $"{Host(s.MName)} {Host(s.RName)} {s.Serial}",
        _ => record.ToString(),
    };

    /// <summary>Whether an expected value names this answer: its full text, or its main part (MX exchange, SRV target, CAA value, SOA primary).</summary>
    public static bool Matches(DnsResourceRecord record, string expected)
    {
        var want = Normalize(expected);
        if (Normalize(Text(record)) == want)
        {
            return true;
        }

        return record switch
        {
            ARecord a => IPAddress.TryParse(expected, out var ip) && ip.Equals(a.Address),
            AaaaRecord a => IPAddress.TryParse(expected, out var ip) && ip.Equals(a.Address),
            MxRecord m => Normalize(m.Exchange) == want,
            SrvRecord s => Normalize(s.Target) == want || Normalize($"{Host(s.Target)}:{s.Port}") == want,
            CaaRecord c => Normalize(c.Value) == want,
            SoaRecord s => Normalize(s.MName) == want,
            _ => false,
        };
    }

    private static string Host(DnsString name) => name.Value.TrimEnd('.');

    private static string Normalize(DnsString name) => Normalize(name.Value);

    private static string Normalize(string text) => text.Trim().TrimEnd('.').ToLowerInvariant();
}
