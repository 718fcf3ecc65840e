using System.Globalization;
using Vigil.Bench;

// dotnet run -c Release --project bench/Vigil.Bench -- store [writes] [reads]
// dotnet run -c Release --project bench/Vigil.Bench -- checks [--checks 10000] [--every 5s] [--duration 60s] [--reuse] [--telemetry on|off]
// dotnet run -c Release --project bench/Vigil.Bench -- startup [--checks 10000] [--restarts 3]
// dotnet run -c Release --project bench/Vigil.Bench -- notify [--incidents 2000] [--fanout 5]
// dotnet run -c Release --project bench/Vigil.Bench -- runbook [--steps 100] [--rounds 4]
// dotnet run -c Release --project bench/Vigil.Bench -- detect [--kills 10]
// dotnet run -c Release --project bench/Vigil.Bench -- lint [--corpus PATH] [--rounds 4] [--shfmt]
// dotnet run -c Release --project bench/Vigil.Bench -- console [--services 100] [--checks 100] [--timeline 2000] [--requests 200]
// dotnet run -c Release --project bench/Vigil.Bench -- statuspage [--services 100] [--checks-per 100] [--days 90] [--requests 2000] [--connections 200] [--wrk 30s] [--folder DIR (kept, reused)]
// dotnet run -c Release --project bench/Vigil.Bench -- backup [--size 1024 (MB)] [--rounds 2]
// dotnet run -c Release --project bench/Vigil.Bench -- intake [--duration 30s] [--warmup 10s] [--keys 1000] [--clients 32] [--resolve 0.1] [--rate 0]
// dotnet run -c Release --project bench/Vigil.Bench -- cluster [--checks 10000] [--every 5s] [--duration 60s] [--kills 10] [--intake 20s] [--clients 32] [--lease-ttl 15s] [--postgres CONNSTR]
var mode = args.Length > 0 ? args[0] : "store";
int Arg(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
string Str(string name, string fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

return mode switch
{
    "store" => await StoreBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20000),
    "checks" => await ChecksBench.RunAsync(Arg("--checks", 10_000), Vigil.Core.Config.Duration.Parse(Str("--every", "5s")), Vigil.Core.Config.Duration.Parse(Str("--duration", "60s")), args.Contains("--reuse"), Str("--telemetry", "on") != "off"),
    "startup" => await StartupBench.RunAsync(Arg("--checks", 10_000), Arg("--restarts", 3)),
    "notify" => await NotifyBench.RunAsync(Arg("--incidents", 2000), Arg("--fanout", 5)),
    "detect" => await DetectBench.RunAsync(Arg("--kills", 10)),
    "runbook" => await RunbookBench.RunAsync(Arg("--steps", 100), Arg("--rounds", 4)),
    "lint" => await LintBench.RunAsync(Array.IndexOf(args, "--corpus") >= 0 ? Str("--corpus", "") : null, Arg("--rounds", 4), args.Contains("--shfmt")),
    "console" => await ConsoleBench.RunAsync(Arg("--services", 100), Arg("--checks", 100), Arg("--timeline", 2000), Arg("--requests", 200)),
    "backup" => await BackupBench.RunAsync(Arg("--size", 1024), Arg("--rounds", 2)),
    "intake" => await IntakeBench.RunAsync(new IntakeBench.Options(
        Vigil.Core.Config.Duration.Parse(Str("--duration", "30s")), Vigil.Core.Config.Duration.Parse(Str("--warmup", "10s")),
        Arg("--keys", 1000), Arg("--clients", 32), double.Parse(Str("--resolve", "0.1"), CultureInfo.InvariantCulture), Arg("--rate", 0))),
    "cluster" => await ClusterBench.RunAsync(new ClusterBench.Options(Arg("--checks", 10_000), Vigil.Core.Config.Duration.Parse(Str("--every", "5s")),
        Vigil.Core.Config.Duration.Parse(Str("--duration", "60s")), Arg("--kills", 10), Vigil.Core.Config.Duration.Parse(Str("--intake", "20s")), Arg("--clients", 32),
        Vigil.Core.Config.Duration.Parse(Str("--lease-ttl", "15s")), args.Contains("--postgres") ? Str("--postgres", "") : null)),
    "statuspage" => await StatusPageBench.RunAsync(new StatusPageBench.Options(Arg("--services", 100), Arg("--checks-per", 100), Arg("--days", 90), Arg("--requests", 2000),
        Arg("--connections", 200), Vigil.Core.Config.Duration.Parse(Str("--wrk", "30s")), args.Contains("--folder") ? Str("--folder", "") : null)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Vigil.Bench store [writes] [reads] | checks [--checks N] [--every 5s] [--duration 60s] [--reuse]\n"
        + "       | startup [--checks 10000] [--restarts 3]\n"
        + "       | intake [--duration 30s] [--warmup 10s] [--keys 1000] [--clients 32] [--resolve 0.1] [--rate N (0: closed loop)]\n"
        + "       | notify [--incidents N] [--fanout F] | runbook [--steps 100] [--rounds 4] | detect [--kills 10]\n"
        + "       | backup [--size 1024 (MB)] [--rounds 2]\n"
        + "       | lint [--corpus PATH] [--rounds 4] [--shfmt]\n"
        + "       | console [--services 100] [--checks 100] [--timeline 2000] [--requests 200]\n"
        + "       | cluster [--checks 10000] [--every 5s] [--duration 60s] [--kills 10] [--intake 20s] [--clients 32] [--lease-ttl 15s] [--postgres CONNSTR]\n"
        + "       | statuspage [--services 100] [--checks-per 100] [--days 90] [--requests 2000] [--connections 200] [--wrk 30s] [--folder DIR]");
    return 2;
}
