namespace Vigil.Probes.Http;

/// <summary>The settings that need a handler of their own; probes with equal keys share one.</summary>
/// <param name="ClientCertificate">Identity of the client certificate files (paths and write times), or null.</param>
internal readonly record struct HttpClientKey(bool TlsVerify, bool FollowRedirects, bool ReuseConnections, string? ClientCertificate);
