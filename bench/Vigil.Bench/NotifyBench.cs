using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Config;
using Vigil.Core.Escalation;
using Vigil.Core.Incidents;
using Vigil.Server.Health;
using Vigil.Server.Config;
using Vigil.Server.Escalation;
using Vigil.Server.Incidents;
using Vigil.Server.Notifications;
using Vigil.Server.Notifications.Channels;
using Vigil.Storage.Sqlite;

namespace Vigil.Bench;

/// <summary>
/// Notification fan-out: N paging incidents, each paging F webhook notifiers at once, delivered
/// by the real escalation engine and notification channels to a Kestrel receiver on loopback,
/// with the delivery ledger (a row per notification, a row per attempt, a timeline and audit
/// entry per delivery) on a real SQLite file.
/// </summary>
internal static class NotifyBench
{
    public static async Task<int> RunAsync(int incidents, int fanOut)
    {
        var received = 0;
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.Logging.ClearProviders();
        receiverBuilder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var receiver = receiverBuilder.Build();
        receiver.Run(async ctx =>
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref received);
            ctx.Response.StatusCode = 200;
        });
        await receiver.StartAsync();
        var url = receiver.Urls.First();

        var dir = Directory.CreateTempSubdirectory("vigil-notify-bench-");
        try
        {
            var notifiers = string.Join("\n", Enumerable.Range(0, fanOut).Select(i => $"  - {{ id: hook{i}, webhook: {{ url: \"{url}/hook/{i}\" }} }}"));
            var targets = string.Join(", ", Enumerable.Range(0, fanOut).Select(i => $"notifier:hook{i}"));
            var yaml = $$"""
                vigil: { name: notify-bench }
                services:
                  - { id: api }
                escalation_policies:
                  - id: default
                    steps:
                      - { after: 0m, notify: [{{targets}}] }
                notifiers:
                {{notifiers}}
                """;
            var time = TimeProvider.System;
            await using var opened = await BenchStore.OpenAsync(dir.FullName, yaml, time);
            if (opened is null)
            {
                return 2;
            }

            var (store, config) = (opened.Store, opened.Config);
            var policies = new IncidentPolicies(config, NullLogger<IncidentPolicies>.Instance);
            await using var services = new ServiceCollection().AddSingleton(time).AddLogging().AddVigilNotificationChannels().BuildServiceProvider();
            var engine = new EscalationEngine(store, policies, services.GetRequiredService<INotificationChannel>(), time, new HealthBoard(time, NullLogger<HealthBoard>.Instance), Random.Shared);

            for (var start = 0; start < incidents; start += 500)
            {
                var count = Math.Min(500, incidents - start);
                await store.RecordAsync(async (s, c) =>
                {
                    for (var i = start; i < start + count; i++)
                    {
                        await IncidentWriter.ApplySignalAsync(s, policies.Current, new Signal(SignalSource.Events, $"key-{i}", SignalStatus.Firing, $"incident {i}", "P1", "api",
                            new Dictionary<string, string> { ["service"] = "api" }, s.Now), "bench", c);
                    }

                    return 0;
                }, CancellationToken.None);
            }

            var expected = incidents * fanOut;
            Console.WriteLine($"{incidents} P1 incidents × {fanOut} webhook notifiers = {expected} notifications to {url}");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var sweeps = 0;
            while (Volatile.Read(ref received) < expected && sw.Elapsed < TimeSpan.FromMinutes(10))
            {
                await engine.SweepAsync(CancellationToken.None);
                sweeps++;
                if (sweeps % 20 == 0)
                {
                    Console.WriteLine($"  {Volatile.Read(ref received)}/{expected} delivered after {sw.Elapsed.TotalSeconds:0.0} s");
                }
            }

            sw.Stop();
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var ledger = await store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(null, false, 1000, c), CancellationToken.None);
            var failed = await store.ReadAsync((s, c) => s.Paging.ListNotificationsAsync(null, true, 1000, c), CancellationToken.None);
            Console.WriteLine();
            Console.WriteLine($"delivered            {received} of {expected} in {sw.Elapsed.TotalSeconds:0.00} s ({sweeps} sweeps)");
            Console.WriteLine($"notifications/s      {received / sw.Elapsed.TotalSeconds:0}");
            Console.WriteLine($"CPU (bench process)  {cpuUsed.TotalSeconds:0.0} s = {cpuUsed.TotalSeconds / sw.Elapsed.TotalSeconds:0.00} cores (receiver included)");
            Console.WriteLine($"ledger               {(ledger.Count == 1000 ? "≥1000" : ledger.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} rows listed, {failed.Count} failed or retrying");
            Console.WriteLine($"store                {new FileInfo(Path.Combine(dir.FullName, "vigil.db")).Length / 1024.0 / 1024.0:0.0} MiB (+ WAL)");
            Console.WriteLine($"peak working set     {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB");
            return received >= expected && failed.Count == 0 ? 0 : 1;
        }
        finally
        {
            await receiver.StopAsync();
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
