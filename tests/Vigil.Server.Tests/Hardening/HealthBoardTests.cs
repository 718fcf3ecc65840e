using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vigil.Server.Health;
using Vigil.Server.Tests.Support;

namespace Vigil.Server.Tests.Hardening;

public sealed class HealthBoardTests
{
    [Fact]
    public void AFailingLoop_IsLoggedOnce_ThenRateLimited_NotOneLinePerTurn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var logger = new ListLogger();
        var board = new HealthBoard(time, logger);

        for (var i = 0; i < 600; i++)
        {
            board.Failed("escalation", new IOException("database or disk is full"));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        board.Succeeded("escalation");

        // 600 failures over ten minutes: the first, one repeat at five minutes, and the recovery.
        Assert.Equal(3, logger.Lines.Count);
        Assert.Equal(2, logger.Lines.Count(l => l.Level == LogLevel.Error));
        Assert.Contains("escalation failed", logger.Lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("still failing", logger.Lines[1].Message, StringComparison.Ordinal);
        Assert.Contains("recovered", logger.Lines[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALostRaceWithAnotherWriter_IsAWarningWithItsReason_WithoutAStackTrace_WhileAnyOtherFailureIsAnError()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var logger = new ListLogger();
        var board = new HealthBoard(time, logger);

        board.Failed("escalation", new Vigil.Core.Storage.StoreConflictException("the change conflicts with a row already stored (unique key audit_log_pkey); nothing was stored",
            new InvalidOperationException("23505"), retryable: true));
        board.Failed("remediation", new Vigil.Core.Storage.StoreConflictException("the run was changed meanwhile", new InvalidOperationException("409"), retryable: false));

        var (level, message, exception) = logger.Lines[0];
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("escalation lost a race with another writer: the change conflicts with a row already stored (unique key audit_log_pkey)", message, StringComparison.Ordinal);
        Assert.Null(exception);
        Assert.Equal(LogLevel.Error, logger.Lines[1].Level);
        Assert.NotNull(logger.Lines[1].Exception);
        Assert.Contains("audit_log_pkey", Assert.Single(board.Snapshot(), c => c.Name == "escalation").LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoopThatFailedItsLastTurns_MakesReadyzFail_NamingIt_AndStatusShowsIt()
    {
        await using var server = await TestServer.StartAsync();
        // A loop name of its own, so the server's real loops reporting their turns cannot race the test.
        var board = server.App.Services.GetRequiredService<HealthBoard>();
        using var anonymous = server.Client();
        for (var i = 0; i < HealthBoard.FailingAfter - 1; i++)
        {
            board.Failed("test-loop", new InvalidOperationException("sweep broke"));
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

        board.Failed("test-loop", new InvalidOperationException("sweep broke"));
        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using (var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Contains(body.RootElement.GetProperty("reasons").EnumerateArray(), r => r.GetString() == "loop test-loop: failed its last 3 turns");
            Assert.DoesNotContain("sweep broke", body.RootElement.GetRawText(), StringComparison.Ordinal);
        }

        var status = await server.CliAsync("status");
        Assert.Contains("test-loop", status.Out, StringComparison.Ordinal);
        Assert.Contains("sweep broke", status.Out, StringComparison.Ordinal);

        board.Succeeded("test-loop");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
    }

    private sealed class ListLogger : ILogger<HealthBoard>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception), exception));
    }
}
