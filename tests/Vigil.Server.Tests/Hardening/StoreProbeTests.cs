using Vigil.Core.Results;
using Vigil.Core.Storage;
using Vigil.Server.Health;

namespace Vigil.Server.Tests.Hardening;

/// <summary>
/// The shared readiness probe write: one in flight at a time, and never a stale answer. Seen in a PostgreSQL
/// restart under load: a probe that failed at once ("Connection refused", before any await) stayed the answer
/// of every later probe, and /readyz said not ready for good after the database was back.
/// </summary>
public sealed class StoreProbeTests
{
    [Fact]
    public async Task AProbeThatFailsAtOnce_IsNotTheAnswerOfTheNextProbe()
    {
        var store = new ScriptedProbeStore();
        var probe = new StoreProbe(store);

        store.Next = () => Task.FromResult<string?>("cannot reach PostgreSQL (Connection refused)");
        Assert.Equal("cannot reach PostgreSQL (Connection refused)", await probe.CheckAsync());

        store.Next = () => Task.FromResult<string?>(null);
        Assert.Null(await probe.CheckAsync());
        Assert.Equal(2, store.Probes);
    }

    [Fact]
    public async Task CallersWhileAProbeRuns_ShareIt_AndTheNextCallerAfterItEndsStartsANewOne()
    {
        var store = new ScriptedProbeStore();
        var probe = new StoreProbe(store);
        var running = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Next = () => running.Task;

        var first = probe.CheckAsync();
        var second = probe.CheckAsync();
        Assert.Same(first, second);
        Assert.Equal(1, store.Probes);

        running.SetResult("a probe write did not commit within 10 s");
        Assert.Equal("a probe write did not commit within 10 s", await first);

        store.Next = () => Task.FromResult<string?>(null);
        Assert.Null(await probe.CheckAsync());
        Assert.Equal(2, store.Probes);
    }

    /// <summary>A store whose probe write answers what the test says; it has nothing else.</summary>
    private sealed class ScriptedProbeStore : IVigilStore
    {
        public Func<Task<string?>> Next { get; set; } = () => Task.FromResult<string?>(null);

        public int Probes { get; private set; }

        public string Description => "scripted";

        public Task<string?> ProbeWriteAsync(CancellationToken ct)
        {
            Probes++;
            return Next();
        }

        public Task<int> MigrateAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task CopyToAsync(string file, CancellationToken ct) => throw new NotSupportedException();

        public Task<T> ReadAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => throw new NotSupportedException();

        public Task<T> WriteAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => throw new NotSupportedException();

        public Task<Outcome<T>> TryWriteAsync<T>(Func<IStoreSession, CancellationToken, Task<Outcome<T>>> work, CancellationToken ct) => throw new NotSupportedException();

        public Task<T> RecordAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => throw new NotSupportedException();

        public Task<T> ClaimAsync<T>(Func<IStoreSession, CancellationToken, Task<T>> work, CancellationToken ct) => throw new NotSupportedException();

        public Task NextCommitAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task NextCommitAsync(CommitTopics topics, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
