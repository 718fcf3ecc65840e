namespace Vigil.Core.Config;

/// <summary>DNS record types a DNS check can query.</summary>
public enum DnsRecordType
{
    [ConfigName("A")]
    A,

    [ConfigName("AAAA")]
    Aaaa,

    [ConfigName("CNAME")]
    Cname,

    [ConfigName("MX")]
    Mx,

    [ConfigName("TXT")]
    Txt,

    [ConfigName("NS")]
    Ns,

    [ConfigName("SRV")]
    Srv,

    [ConfigName("CAA")]
    Caa,

    [ConfigName("PTR")]
    Ptr,

    [ConfigName("SOA")]
    Soa,
}
