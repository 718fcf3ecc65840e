using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil healthcheck</c>: exit 0 when the server answers <c>/healthz</c> (or <c>/readyz</c>) with 2xx, 1 when
/// it answers otherwise, 3 when it cannot be reached. The container image's HEALTHCHECK runs it: the image
/// has no curl or wget. Needs no token.
/// </summary>
internal static class HealthcheckCommand
{
    public static Command Build(CliEnvironment env)
    {
        var ready = new Option<bool>("--ready") { Description = "Check /readyz (the store can commit) instead of /healthz (the process answers)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the answer", DefaultValueFactory = _ => 5 };
        var command = new Command("healthcheck", "Exit 0 if the server at --server (default http://127.0.0.1:8080) is healthy; for container and service probes") { ready, timeout };
        command.SetHandler(env, async (ctx, ct) =>
        {
            var seconds = ctx.Parse.GetValue(timeout);
            if (seconds is < 1 or > 300)
            {
                throw new CliException(ExitCodes.Usage, $"--timeout {seconds} is out of range; give 1 to 300 seconds.");
            }

            var url = $"{ctx.ServerUrl}/{(ctx.Parse.GetValue(ready) ? "readyz" : "healthz")}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds) };
            try
            {
                using var response = await http.GetAsync(url, ct);
                if (response.IsSuccessStatusCode)
                {
                    ctx.Line($"{url}: {(int)response.StatusCode}");
                    return ExitCodes.Ok;
                }

                ctx.Error($"vigil: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                ctx.Error($"vigil: {url} did not answer ({(ex is TaskCanceledException ? $"no answer in {seconds} s" : ex.Message)}).");
                return ExitCodes.Unreachable;
            }
            catch (UriFormatException)
            {
                throw new CliException(ExitCodes.Usage, $"--server '{ctx.ServerUrl}' is not a URL, for example http://127.0.0.1:8080.");
            }
        });
        return command;
    }
}
