using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Config;

namespace Vigil.Probes.Tests.Support;

/// <summary>Builds runners on the test resolver, and checks with short timeouts.</summary>
internal static class Make
{
    public static ProbeRunner Runner(TimeProvider? time = null, ProbeOptions? options = null) =>
        ProbeRunner.Create(time ?? TimeProvider.System, options ?? new ProbeOptions(), new TestResolver());

    public static FakeTimeProvider FakeClock() => new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static CheckConfig Http(string url, Action<HttpCheckConfig>? configure = null, TimeSpan? timeout = null)
    {
        var http = new HttpCheckConfig { Url = url };
        configure?.Invoke(http);
        return new CheckConfig { Id = "web", Http = http, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public static CheckConfig Tcp(string host, int port, Action<TcpCheckConfig>? configure = null, TimeSpan? timeout = null)
    {
        var tcp = new TcpCheckConfig { Host = host, Port = port };
        configure?.Invoke(tcp);
        return new CheckConfig { Id = "port", Tcp = tcp, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public static CheckConfig Tls(string host, int port, Action<TlsCheckConfig>? configure = null, TimeSpan? timeout = null)
    {
        var tls = new TlsCheckConfig { Host = host, Port = port };
        configure?.Invoke(tls);
        return new CheckConfig { Id = "cert", Tls = tls, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public static CheckConfig Dns(string name, string server, DnsRecordType type = DnsRecordType.A, IReadOnlyList<string>? expected = null, TimeSpan? timeout = null) =>
        new()
        {
            Id = "dns",
            Dns = new DnsCheckConfig { Name = name, Server = server, Type = type, Expected = expected ?? [] },
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
        };

    public static CheckConfig Shell(string run, TimeSpan? timeout = null, string? workingDir = null, IReadOnlyDictionary<string, string>? env = null) =>
        new()
        {
            Id = "cmd",
            Command = new CommandCheckConfig { Run = run, WorkingDir = workingDir, Env = env ?? new Dictionary<string, string>() },
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };

    public static CheckConfig Argv(params string[] argv) =>
        new() { Id = "cmd", Command = new CommandCheckConfig { Argv = argv }, Timeout = TimeSpan.FromSeconds(10) };

    public static CheckConfig Prometheus(string url, string query, Action<CheckConfig>? configure = null)
    {
        var check = new CheckConfig { Id = "prom", Prometheus = new PrometheusCheckConfig { Url = url, Query = query }, Timeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(check);
        return check;
    }
}
