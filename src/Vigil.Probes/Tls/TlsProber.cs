using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Network;

namespace Vigil.Probes.Tls;

/// <summary>
/// TLS certificate check: handshake (SNI = <c>server_name</c> or <c>host</c>), days left on the
/// leaf certificate as the value, against <c>warn_days</c>/<c>critical_days</c>; with
/// <c>tls_verify</c>, an untrusted chain or a wrong host name is critical.
/// </summary>
internal sealed class TlsProber : IProber
{
    private readonly IHostResolver _resolver;
    private readonly TimeProvider _timeProvider;

    public TlsProber(IHostResolver resolver, TimeProvider timeProvider)
    {
        _resolver = resolver;
        _timeProvider = timeProvider;
    }

    public CheckKind Kind => CheckKind.Tls;

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var tls = check.Tls ?? throw new ArgumentException("not a tls check", nameof(check));
        var target = CheckTarget.HostPort(tls.Host, tls.Port);
        var serverName = tls.ServerName is { Length: > 0 } sni ? sni : tls.Host;
        var start = _timeProvider.GetTimestamp();

        Socket socket;
        try
        {
            socket = await SocketConnector.ConnectAsync(_resolver, tls.Host, tls.Port, ct);
        }
        catch (SocketException ex) when (!ct.IsCancellationRequested)
        {
            var (reason, message) = NetworkFailure.Classify(ex, tls.Host, target);
            return ProbeResult.Critical(reason, Elapsed(start), message);
        }

        var errors = SslPolicyErrors.None;
        var chainProblems = new List<string>();
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, _, chain, policyErrors) =>
                {
                    // Accept everything here and judge afterwards, so an invalid certificate still
                    // reports its expiry and the exact validation errors.
                    errors = policyErrors;
                    if (chain is not null)
                    {
                        foreach (var status in chain.ChainStatus)
                        {
                            var text = $"{status.Status}: {status.StatusInformation.Trim().TrimEnd('.')}";
                            if (status.Status != X509ChainStatusFlags.NoError && !chainProblems.Contains(text))
                            {
                                chainProblems.Add(text);
                            }
                        }
                    }

                    return true;
                },
            }, ct);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException && !ct.IsCancellationRequested)
        {
            return ProbeResult.Critical(FailureReason.Tls, Elapsed(start), $"TLS handshake with {target} failed: {ex.Message.TrimEnd('.')}");
        }

        var latency = Elapsed(start);
        if (ssl.RemoteCertificate is not X509Certificate2 leaf)
        {
            return ProbeResult.Critical(FailureReason.Tls, latency, $"{target} sent no certificate");
        }

        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var daysLeft = (notAfter - _timeProvider.GetUtcNow()).TotalDays;
        var value = Math.Round(daysLeft, 2);
        var until = notAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var subject = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

        if (daysLeft < 0)
        {
            return ProbeResult.Critical(FailureReason.Tls, latency,
                $"certificate of {target} ({subject}) expired {Days(-daysLeft)} ago on {until}", value);
        }

        if (tls.TlsVerify && errors != SslPolicyErrors.None)
        {
            return ProbeResult.Critical(FailureReason.Tls, latency,
                $"certificate of {target} ({subject}) does not verify for {serverName}: {DescribeErrors(errors, chainProblems)}", value);
        }

        if (daysLeft < tls.CriticalDays)
        {
            return ProbeResult.Critical(FailureReason.Tls, latency,
                $"certificate of {target} ({subject}) expires in {Days(daysLeft)} on {until} (critical under {tls.CriticalDays} days)", value);
        }

        if (daysLeft < tls.WarnDays)
        {
            return ProbeResult.Warning(FailureReason.Tls, latency,
                $"certificate of {target} ({subject}) expires in {Days(daysLeft)} on {until} (warning under {tls.WarnDays} days)", value);
        }

        return ProbeResult.Ok(latency, $"certificate of {target} ({subject}) is valid for {Days(daysLeft)}, until {until}", value);
    }

    private static string DescribeErrors(SslPolicyErrors errors, List<string> chainProblems)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            parts.Add("no certificate was sent");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("the host name does not match the certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            parts.Add(chainProblems.Count > 0 ? "chain: " + string.Join("; ", chainProblems) : "the chain does not verify");
        }

        return string.Join(", ", parts);
    }

    private static string Days(double days)
    {
        if (days < 1)
        {
            var hours = (int)Math.Floor(days * 24);
            return hours == 1 ? "1 hour" : $"{hours} hours";
        }

        var whole = (int)Math.Floor(days);
        return whole == 1 ? "1 day" : $"{whole} days";
    }

    private TimeSpan Elapsed(long start) => _timeProvider.GetElapsedTime(start);
}
