using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Config;
using Vigil.Core.Signing;
using Vigil.Core.Storage;
using Vigil.Probes;
using Vigil.Server.AuditTrail;
using Vigil.Server.Backups;
using Vigil.Server.Checks;
using Vigil.Server.Auth;
using Vigil.Server.Config;
using Vigil.Server.Health;
using Vigil.Server.Http;
using Vigil.Server.Escalation;
using Vigil.Server.Incidents;
using Vigil.Server.Keys;
using Vigil.Server.Notifications.Channels;
using Vigil.Server.Operations;
using Vigil.Server.Runbooks;
using Vigil.Core.Slos;
using Vigil.Server.Slos;
using Vigil.Server.Status;
using Vigil.Server.WebConsole;
using Vigil.Server.StatusPage;
using Vigil.Server.Telemetry;
using Vigil.Server.Journal;
using Vigil.Storage;

namespace Vigil.Server.Hosting;

/// <summary>The composition root: loads config, opens and migrates the store, and builds the web app.</summary>
public static class VigilServer
{
    public static async Task<StartResult> PrepareAsync(ServerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configPath = Path.GetFullPath(options.ConfigPath);
        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.Success)
        {
            return new StartResult(null, loaded.Errors.Select(e => e.ToString()).ToList(), true, null, "");
        }

        var config = loaded.Config!;
        var dataDir = Path.GetFullPath(options.DataDirectory
            ?? (config.Vigil.DataDir is { } d ? Path.Combine(config.BaseDirectory, d) : Path.Combine(config.BaseDirectory, "data")));
        try
        {
            DataDirectory.Prepare(dataDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"Cannot create the data directory {dataDir}: {ex.Message}. Pass --data DIR or set vigil.data_dir.");
        }

        var (dataLock, lockError) = DataDirectoryLock.Acquire(dataDir);
        if (dataLock is null)
        {
            return Fail(lockError!);
        }

        try
        {
            var result = await PrepareLockedAsync(options, configPath, loaded, dataDir, dataLock, ct);
            if (result.App is null)
            {
                dataLock.Dispose();
            }

            return result;
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }

        StartResult Fail(string message) => new(null, [message], false, null, dataDir);
    }

    private static async Task<StartResult> PrepareLockedAsync(ServerOptions options, string configPath, ConfigLoadResult loaded, string dataDir,
        DataDirectoryLock dataLock, CancellationToken ct)
    {
        var config = loaded.Config!;
        var spec = config.Vigil.Store ?? "sqlite:" + Path.Combine(dataDir, "vigil.db");
        var (store, storeError) = StoreLocator.Open(spec, config.BaseDirectory, options.Time, options.Environment);
        if (store is null)
        {
            // An error about VIGIL_STORAGE_POSTGRES names the variable itself; one about the config names the file and key.
            var fromEnvironment = !string.IsNullOrWhiteSpace(options.Environment(Vigil.Storage.Postgres.PostgresTarget.UrlVariable));
            return new StartResult(null, [fromEnvironment ? storeError! : $"{configPath}: vigil.store: {storeError}"], true, null, dataDir);
        }

        int schema;
        try
        {
            schema = await store.MigrateAsync(ct);
        }
        catch (Exception ex) when (ex is StoreSchemaException or StoreUnavailableException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            await store.DisposeAsync();
            return Fail($"Cannot open the store {store.Description}: {(ex is StoreUnavailableException s ? s.Reason : ex.Message)}");
        }

        KeyService keys;
        try
        {
            keys = KeyService.Load(store, options.Time, dataDir, options.KeysFile, options.SigningKeyPem);
            await keys.EnsureSigningKeyAsync(ct);
        }
        catch (Exception ex) when (ex is KeyLoadException or StoreUnavailableException or IOException or UnauthorizedAccessException)
        {
            await store.DisposeAsync();
            return Fail(ex is StoreUnavailableException s ? s.Reason : ex.Message);
        }

        var (nodeId, nodeError) = Cluster.NodeIdentity.Resolve(config.Cluster.NodeId, dataDir);
        if (nodeId is null)
        {
            await store.DisposeAsync();
            return Fail(nodeError!);
        }

        HeartbeatTokens heartbeatTokens;
        try
        {
            heartbeatTokens = HeartbeatTokens.FromDataDirectory(dataDir);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await store.DisposeAsync();
            return Fail(ex.Message);
        }

        // No reload-on-change for appsettings*.json: with the content root on the data directory that
        // watcher saw every SQLite write (a file-watch thread busy at 5 % of Vigil's CPU under intake load).
        // The slim builder leaves out what Vigil never uses and would otherwise load and keep resident: IIS integration,
        // HTTP/3 (QUIC), host filtering, static web assets, hosting start-up assemblies and the debug and EventSource
        // loggers (7 fewer assemblies, 2.5 MiB less of mapped images at 10,000 checks, within RSS noise; docs/performance.md).
        // HTTPS listen addresses and the full route constraints are added back below.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = dataDir,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.AddRouting();
        // DataProtection warns that the console's antiforgery keys are stored unencrypted: they live in the 0700 data directory.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        builder.WebHost.UseUrls(options.Listen ?? config.Vigil.Listen);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = config.Vigil.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });

        var services = builder.Services;
        services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(options.Time);
        // Owned by the container too, so an app that never started (a busy port) releases the folder when disposed.
        services.AddSingleton(_ => dataLock);
        services.AddSingleton<HealthBoard>();
        services.AddSingleton<StoreProbe>();
        services.AddExceptionHandler<StoreUnavailableHandler>();
        services.AddExceptionHandler<StoreConflictHandler>();
        services.AddSingleton(store);
        services.AddSingleton(ServerInfo.Create(store, schema, dataDir, options.Time));
        services.AddSingleton(sp => new ConfigState(new ConfigSnapshot(config, configPath, loaded.SourceFiles, options.Time.GetUtcNow()),
            store, options.Time, sp.GetRequiredService<ILogger<ConfigState>>()));
        services.AddSingleton<TokenLookup>();
        services.AddSingleton<TokenService>();
        services.AddHostedService<ConfigWatcher>();
        // Clustered (leases) on PostgreSQL; on SQLite the one node always leads. Registered before the loops, so it stops after
        // them and gives the leader lease up only once the singletons have stopped writing.
        services.AddSingleton(sp => new Cluster.Leadership(nodeId, store is Vigil.Storage.Postgres.PostgresVigilStore, options.Time,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Cluster.Leadership>>()));
        services.AddSingleton<Cluster.CheckOwnership>();
        services.AddSingleton<Cluster.ClusterNode>();
        services.AddHostedService(sp => sp.GetRequiredService<Cluster.ClusterNode>());
        // Registered early so it stops late: its stop signs whatever the other services wrote last.
        // Before the checkpointer, so it stops after it and hands over the checkpoint signed at stop.
        services.AddHttpClient(AuditTrail.Witnesses.WitnessDelivery.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan) // each witness's timeout bounds an attempt
            .RemoveAllLoggers();
        services.AddSingleton<AuditTrail.Witnesses.WitnessDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditTrail.Witnesses.WitnessDelivery>());
        services.AddSingleton<AuditTrail.Witnesses.WitnessVerifications>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        // Relative paths in check config (client certificates, working dirs) are relative to the config file.
        services.AddVigilProbes(p => p.BaseDirectory = config.BaseDirectory);
        if (options.Probe is { } probe)
        {
            services.AddSingleton(probe);
        }
        else
        {
            services.AddSingleton<ICheckProbe, ProbeRunnerAdapter>();
        }

        services.AddSingleton(options.CheckEngine with
        {
            RawRetention = config.Vigil.HistoryRaw,
            RollupRetention = config.Vigil.HistoryRollups,
            MaxConcurrency = config.Vigil.MaxConcurrentProbes,
        });
        services.AddSingleton(heartbeatTokens);
        services.AddSingleton(keys);
        services.AddSingleton<ISigner>(keys);
        services.AddSingleton<IncidentPolicies>();
        services.AddSingleton<CheckRegistry>();
        services.AddSingleton<CheckRunner>();
        services.AddSingleton<CheckStateWriter>();
        services.AddSingleton<CheckHistoryFlusher>();
        services.AddSingleton<CheckHistoryPruner>();
        services.AddSingleton<CheckScheduler>();
        // Hosts stop services in reverse order: the scheduler stops first, then the state writer
        // drains confirmed changes, then the flusher writes counters and history.
        services.AddHostedService(sp => sp.GetRequiredService<CheckHistoryFlusher>());
        services.AddHostedService(sp => sp.GetRequiredService<CheckHistoryPruner>());
        services.AddHostedService(sp => sp.GetRequiredService<CheckStateWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        // Registered after the checks services so it stops first: it drains what it already accepted.
        services.AddSingleton<IntakeQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeQueue>());
        services.AddSingleton<IncidentTimers>();
        services.AddHostedService(sp => sp.GetRequiredService<IncidentTimers>());
        services.AddVigilNotificationChannels();
        services.AddSingleton<AckLinks.AckLinkService>();
        // Retry jitter draws from the shared random source in production; tests inject a fixed one.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EscalationEngine>(sp, Random.Shared));
        services.AddHostedService(sp => sp.GetRequiredService<EscalationEngine>());
        services.AddSingleton<RunbookRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<RunbookRuntime>());
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<OrphanedRunSweeper>(sp));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<Cluster.CheckPauseFollower>(sp));
        // After the runtime: hosted services stop in reverse order, so a drill in flight stops before the runs it waits on.
        services.AddSingleton<Drills.DrillRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<Drills.DrillRunner>());
        services.AddSingleton<IRecoveryPointSource, HeartbeatRecoveryPoints>();
        services.AddSingleton<IRecoveryPointSource, BackupRecoveryPoints>();
        // Prometheus SLIs: no retry handler; a failed read makes the SLO unknown and the next turn asks again.
        services.AddHttpClient(PrometheusSliReader.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan) // PrometheusSliReader.Timeout bounds each SLO's reads
            .RemoveAllLoggers();
        services.AddSingleton<PrometheusSliReader>();
        services.AddSingleton<SloEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<SloEngine>());
        services.AddSingleton<RunbookScheduler>();
        services.AddSingleton(sp => new BackupKeys(Environment.GetEnvironmentVariable));
        services.AddSingleton(sp => new BackupDestinations(sp.GetRequiredService<ServerInfo>(), sp.GetRequiredService<Vigil.Probes.Processes.ProcessRunner>(), Environment.GetEnvironmentVariable));
        services.AddSingleton<BackupSignals>();
        services.AddSingleton<BackupEngine>();
        services.AddSingleton<BackupStatusReader>();
        services.AddSingleton<BackupScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<RunbookScheduler>());
        services.AddSingleton<Remediation.RemediationEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<Remediation.RemediationEngine>());
        services.AddSingleton(options.StatusPage);
        services.AddSingleton<StatusPagePublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusPagePublisher>());
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Binding failures (a query value of the wrong type, say) carry their reason in the message.
            if (ctx.Exception is BadHttpRequestException bad)
            {
                ctx.ProblemDetails.Detail = BindingProblem.Describe(bad);
            }
        });
        services.Configure<JsonOptions>(o => VigilJson.Configure(o.SerializerOptions));
        // Binding failures throw, so the exception handler answers them as ProblemDetails with a detail.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1");
        services.AddVigilConsole(dataDir);
        builder.AddVigilTelemetry(config.Telemetry);
        options.Extend?.Invoke(builder);

        var app = builder.Build();
        // The shared loop mechanism decides per loop: singletons run on the leader only, their writes fenced by its lease.
        var leadership = app.Services.GetRequiredService<Cluster.Leadership>();
        // Checks are sharded over the nodes: each probes, and writes the state of, the checks whose shard lease it holds.
        app.Services.GetRequiredService<CheckRegistry>().Ownership = app.Services.GetRequiredService<Cluster.CheckOwnership>();
        foreach (var hosted in app.Services.GetServices<IHostedService>())
        {
            switch (hosted)
            {
                case SweepLoop sweep:
                    sweep.Leadership = leadership;
                    break;
                case PeriodicLoop periodic:
                    periodic.Leadership = leadership;
                    break;
            }
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Bugs only: expected failures are answered with specific problems before they get here.
            StatusCodeSelector = ex => ex is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status500InternalServerError,
            // A bad query or route value is the client's mistake, answered as a 400 problem: no error log with a stack trace.
            // A store that cannot commit is answered 503 by StoreUnavailableHandler and logged, rate-limited, by the HealthBoard.
            // A write that collided with another (StoreConflictException) is answered 409 by StoreConflictHandler.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException or StoreUnavailableException or StoreConflictException,
        });
        app.UseStatusCodePages();
        app.UseConsoleHeaders();
        app.UseRouting();
        app.UseMiddleware<TokenAuthMiddleware>();
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json").WithMetadata(new AnonymousAccess());
        app.MapHealthEndpoints();
        var api = app.MapGroup("/api/v1");
        api.MapStatusEndpoints();
        api.MapConfigEndpoints();
        api.MapTokenEndpoints();
        api.MapAuditEndpoints();
        AuditTrail.Witnesses.WitnessEndpoints.MapWitnessEndpoints(api);
        api.MapKeyEndpoints();
        Export.ExportEndpoints.MapExportEndpoints(api);
        api.MapCheckEndpoints();
        api.MapHeartbeatEndpoints();
        api.MapIncidentEndpoints();
        api.MapOperationsEndpoints();
        api.MapJournalEndpoints();
        api.MapPagingEndpoints();
        api.MapRunbookEndpoints();
        Drills.DrillEndpoints.MapDrillEndpoints(api);
        api.MapBackupEndpoints();
        api.MapSloEndpoints();
        Cluster.ClusterEndpoints.MapClusterEndpoints(api);
        app.MapIntakeEndpoints();
        app.MapAlertmanagerApi();
        app.MapVigilConsole();
        AckLinks.AckLinkEndpoints.MapAckLinkEndpoints(app);
        app.MapStatusPageEndpoints();
        app.MapVigilMetrics(config.Telemetry);
        options.ExtendApi?.Invoke(api);

        app.Services.GetRequiredService<DataDirectoryLock>();
        // The store closes before the folder is unlocked, so no second server opens it while connections are still open.
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            dataLock.Dispose();
        });

        string? adminToken;
        try
        {
            adminToken = await AdminTokenBootstrap.EnsureAsync(store, app.Services.GetRequiredService<TokenService>(), dataDir, ct);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await app.DisposeAsync();
            await store.DisposeAsync();
            return Fail($"Cannot create the first admin token: {(ex is StoreUnavailableException s ? s.Reason : ex.Message)}");
        }

        // Shown until a start succeeds: a first start that failed after creating the token (a busy port, say) shows it again.
        app.Lifetime.ApplicationStarted.Register(() => AdminTokenBootstrap.MarkShown(dataDir));
        return new StartResult(app, [], false, adminToken, dataDir);

        StartResult Fail(string message) => new(null, [message], false, null, dataDir);
    }

    /// <summary>The first address the started app listens on.</summary>
    public static Uri ListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The server is not listening yet.");
        return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

}
