using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Network;

namespace Vigil.Probes.Dns;

/// <summary>DNS check: one query (no cache, no retries) to the configured or system resolver, answers compared with <c>expected</c>.</summary>
internal sealed class DnsProber : IProber
{
    private static readonly TimeSpan _systemServersTtl = TimeSpan.FromMinutes(1);

    // One client for all checks; each query names its own servers, so the client's own list is unused.
    private readonly LookupClient _client = new(new LookupClientOptions(new NameServer(IPAddress.Loopback))
    {
        AutoResolveNameServers = false,
        UseCache = false,
    });

    private readonly IHostResolver _resolver;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _systemLock = new();
    private (NameServer[] Servers, DateTimeOffset At)? _systemServers;

    public DnsProber(IHostResolver resolver, TimeProvider timeProvider)
    {
        _resolver = resolver;
        _timeProvider = timeProvider;
    }

    public CheckKind Kind => CheckKind.Dns;

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var dns = check.Dns ?? throw new ArgumentException("not a dns check", nameof(check));
        var start = _timeProvider.GetTimestamp();
        var typeName = DnsAnswers.Name(dns.Type);

        NameServer[] servers;
        string serverText;
        if (dns.Server is { Length: > 0 } server)
        {
            if (!TryParseServer(server, out var host, out var port))
            {
                return ProbeResult.Unknown(FailureReason.None, TimeSpan.Zero, $"invalid resolver `{server}`; write host or host:port, like 1.1.1.1:53");
            }

            try
            {
                var addresses = await _resolver.ResolveAsync(host, ct);
                servers = [.. addresses.Take(1).Select(a => new NameServer(a, port))];
            }
            catch (SocketException ex) when (!ct.IsCancellationRequested)
            {
                return ProbeResult.Critical(FailureReason.Dns, Elapsed(start), $"could not resolve the DNS server {host}: {ex.Message.TrimEnd('.')}");
            }

            if (servers.Length == 0)
            {
                return ProbeResult.Critical(FailureReason.Dns, Elapsed(start), $"the DNS server {host} has no address");
            }

            serverText = server;
        }
        else
        {
            servers = SystemServers();
            if (servers.Length == 0)
            {
                return ProbeResult.Unknown(FailureReason.Dns, Elapsed(start), "no system DNS resolver is configured (/etc/resolv.conf); set `server`");
            }

            serverText = servers[0].ToString();
        }

        var queryName = dns.Name.Trim();
        if (dns.Type == DnsRecordType.Ptr && IPAddress.TryParse(queryName, out var ptrAddress))
        {
            queryName = ptrAddress.GetArpaName();
        }

        var options = new DnsQueryAndServerOptions(servers)
        {
            UseCache = false,
            Retries = 0,
            Timeout = check.Timeout,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseTcpFallback = true,
            EnableAuditTrail = false,
        };

        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(new DnsQuestion(queryName, DnsAnswers.QueryTypeOf(dns.Type)), options, ct);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout && !ct.IsCancellationRequested)
        {
            return ProbeResult.Critical(FailureReason.Timeout, Elapsed(start),
                $"no DNS answer from {serverText} for {dns.Name} {typeName} within {Duration.Format(check.Timeout)}");
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException && !ct.IsCancellationRequested)
        {
            return ProbeResult.Critical(FailureReason.Dns, Elapsed(start),
                $"DNS {typeName} query for {dns.Name} to {serverText} failed: {Innermost(ex).Message.TrimEnd('.')}");
        }

        var latency = Elapsed(start);
        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            return ProbeResult.Critical(FailureReason.Dns, latency, $"{dns.Name} does not exist (NXDOMAIN from {serverText})");
        }

        if (code != DnsHeaderResponseCode.NoError)
        {
            return ProbeResult.Critical(FailureReason.Dns, latency,
                $"DNS {typeName} query for {dns.Name} failed with {RcodeName(code)} from {serverText}");
        }

        var wanted = (ResourceRecordType)(int)DnsAnswers.QueryTypeOf(dns.Type);
        var answers = response.Answers.Where(r => r.RecordType == wanted).ToList();
        if (answers.Count == 0)
        {
            return ProbeResult.Critical(FailureReason.Dns, latency, $"{dns.Name} has no {typeName} records (empty answer from {serverText})");
        }

        var seen = string.Join(", ", answers.Select(DnsAnswers.Text).Select(t => ProbeText.Truncate(t, 80)));
        var missing = dns.Expected.Where(e => !answers.Any(a => DnsAnswers.Matches(a, e))).ToList();
        if (missing.Count > 0)
        {
            return ProbeResult.Critical(FailureReason.Dns, latency,
                $"{dns.Name} {typeName} resolved to {seen} (expected {string.Join(", ", dns.Expected)}; missing {string.Join(", ", missing)})");
        }

        return ProbeResult.Ok(latency, $"{dns.Name} {typeName} resolved to {seen} via {serverText} in {ProbeText.Time(latency)}");
    }

    internal static bool TryParseServer(string server, out string host, out int port)
    {
        host = server.Trim();
        port = 53;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            var rest = host[(close + 1)..];
            host = host[1..close];
            return rest.Length == 0 || (rest[0] == ':' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535);
        }

        var colons = host.Count(c => c == ':');
        if (colons > 1)
        {
            // A bare IPv6 address; a port needs the [addr]:port form.
            return IPAddress.TryParse(host, out _);
        }

        if (colons == 1)
        {
            var colon = host.IndexOf(':', StringComparison.Ordinal);
            if (!int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = host[..colon];
        }

        return host.Length > 0;
    }

    private NameServer[] SystemServers()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_systemLock)
        {
            if (_systemServers is { } cached && now - cached.At < _systemServersTtl)
            {
                return cached.Servers;
            }

            NameServer[] servers;
            try
            {
                // Never fall back to a public resolver: a monitoring probe must only use what the host is configured with.
                servers = [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)];
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.NetworkInformation.NetworkInformationException)
            {
                servers = [];
            }

            _systemServers = (servers, now);
            return servers;
        }
    }

    private static string RcodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => code.ToString(),
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private TimeSpan Elapsed(long start) => _timeProvider.GetElapsedTime(start);
}
