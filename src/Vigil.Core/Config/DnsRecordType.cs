namespace Vigil.Core.Config;

/// <summary>DNS record types a DNS check can query.</summary>
public enum DnsRecordType
{
    /// <summary>IPv4 address.</summary>
    [ConfigName("A")]
    A,

    /// <summary>IPv6 address.</summary>
    [ConfigName("AAAA")]
    Aaaa,

    /// <summary>Canonical name.</summary>
    [ConfigName("CNAME")]
    Cname,

    /// <summary>Mail exchanger (answers as "preference host").</summary>
    [ConfigName("MX")]
    Mx,

    /// <summary>Text record.</summary>
    [ConfigName("TXT")]
    Txt,

    /// <summary>Name server.</summary>
    [ConfigName("NS")]
    Ns,

    /// <summary>Service locator.</summary>
    [ConfigName("SRV")]
    Srv,

    /// <summary>Certification authority authorization.</summary>
    [ConfigName("CAA")]
    Caa,

    /// <summary>Reverse lookup.</summary>
    [ConfigName("PTR")]
    Ptr,

    /// <summary>Start of authority.</summary>
    [ConfigName("SOA")]
    Soa,
}
