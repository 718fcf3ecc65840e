namespace Vigil.Server.Hosting;

/// <summary>How to start a server; the command line fills this in.</summary>
public sealed record ServerOptions
{
    /// <summary>Path to <c>vigil.yaml</c>.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Overrides <c>vigil.data_dir</c>; default is <c>data/</c> beside the config file.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Overrides <c>vigil.listen</c>, for example <c>http://127.0.0.1:0</c> for a free port.</summary>
    public string? Listen { get; init; }

    /// <summary>Extra services the demo adds (the fleet); null for a normal server.</summary>
    public Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? Extend { get; init; }

    /// <summary>Extra endpoints the demo adds.</summary>
    public Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>? ExtendApi { get; init; }

    /// <summary>Replaces the real probers (tests); null uses Vigil.Probes.</summary>
    public Checks.ICheckProbe? Probe { get; init; }

    /// <summary>Tuning of the checks engine.</summary>
    public Checks.CheckEngineOptions CheckEngine { get; init; } = new();

    /// <summary>Tuning of the public status page's snapshot.</summary>
    public StatusPage.StatusPageOptions StatusPage { get; init; } = new();

    /// <summary>A key file supplied from outside (VIGIL_KEYS_FILE), read only; null uses keys.json in the data folder.</summary>
    public string? KeysFile { get; init; }

    /// <summary>One ECDSA P-256 private key in PEM (VIGIL_SIGNING_KEY); wins over <see cref="KeysFile"/>.</summary>
    public string? SigningKeyPem { get; init; }

    /// <summary>The clock; tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the store's environment variables are read (<c>VIGIL_STORAGE_POSTGRES</c> and its password); tests pass their own.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
