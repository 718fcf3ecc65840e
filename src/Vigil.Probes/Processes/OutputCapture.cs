using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Vigil.Probes.Processes;

/// <summary>
/// Keeps the first and last bytes of a stream up to a cap, and keeps draining so the writer never blocks.
/// Reading can be ended early at a mark (<see cref="KeepPendingAsync"/>, <see cref="CutOff"/>): bytes read
/// after it are counted as dropped and neither kept nor handed to the observer.
/// </summary>
internal sealed class OutputCapture
{
    private readonly Lock _lock = new();
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headCount;
    private int _tailStart;
    private int _tailCount;
    private long _total;
    private long _received;
    private long _keepUntil = long.MaxValue;
    private TaskCompletionSource? _markReached;
    private volatile bool _abandoned;

    /// <summary>How often a poll wakes up to see whether reading was abandoned.</summary>
    private const int PollInterval = 200;

    public OutputCapture(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2);
        _head = new byte[maxBytes / 2];
        _tail = new byte[maxBytes - _head.Length];
    }

    /// <summary>Bytes read after the cut-off mark, thrown away.</summary>
    public long DroppedBytes
    {
        get
        {
            lock (_lock)
            {
                return _received - _total;
            }
        }
    }

    /// <summary>
    /// Reads until the end of the stream, or until <see cref="Abandon"/>. The observer is called under the capture's
    /// lock, so after <see cref="CutOff"/> returns it is not called again.
    /// <para>
    /// On Linux a pipe is read by waiting for it to be readable (poll) and then reading, under the lock, only the
    /// bytes it holds (FIONREAD), so no read is ever half done outside the lock: <see cref="KeepPendingAsync"/>
    /// sees every byte either counted or still in the pipe, and keeps exactly what was written before it.
    /// Elsewhere a plain asynchronous read loop is used.
    /// </para>
    /// </summary>
    public Task PumpAsync(Stream stream, Action<ReadOnlyMemory<byte>>? observer = null)
    {
        if (stream is PipeStream pipe && OperatingSystem.IsLinux())
        {
            return Task.Factory.StartNew(() => PumpPolling(pipe, observer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        return PumpReadingAsync(stream, observer);
    }

    /// <summary>Keeps nothing more (<see cref="CutOff"/>) and stops reading within a moment, for a pipe still held open by a process that could not be found.</summary>
    public void Abandon()
    {
        CutOff();
        _abandoned = true;
    }

    /// <summary>
    /// Keeps only what has been read so far plus the bytes still waiting in <paramref name="pipe"/> (what it held at the
    /// writer's exit); completes once those are read. When the pipe cannot say, sets no mark and never completes.
    /// </summary>
    public Task KeepPendingAsync(SafeHandle? pipe)
    {
        lock (_lock)
        {
            if (Posix.BytesAvailable(pipe) is not { } pending)
            {
                return new TaskCompletionSource().Task;
            }

            _keepUntil = Math.Min(_keepUntil, _received + pending);
            if (_received >= _keepUntil)
            {
                return Task.CompletedTask;
            }

            _markReached ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _markReached.Task;
        }
    }

    /// <summary>Keeps nothing read from now on.</summary>
    public void CutOff()
    {
        lock (_lock)
        {
            _keepUntil = Math.Min(_keepUntil, _received);
        }
    }

    private void PumpPolling(PipeStream pipe, Action<ReadOnlyMemory<byte>>? observer)
    {
        var buffer = new byte[8192];
        SafePipeHandle handle;
        var added = false;
        try
        {
            handle = pipe.SafePipeHandle;
            handle.DangerousAddRef(ref added); // the fd stays ours (not closed and reused) until this loop ends
            while (!_abandoned)
            {
                if (!Posix.WaitReadable(handle, PollInterval, out var hungUp))
                {
                    continue;
                }

                lock (_lock)
                {
                    // Read only what is there (never blocks), or, after hang-up with nothing left, see the end.
                    var available = Posix.BytesAvailable(handle) ?? 0;
                    if (available == 0 && !hungUp)
                    {
                        continue;
                    }

                    var n = available == 0 ? pipe.Read(buffer, 0, buffer.Length) : pipe.Read(buffer, 0, Math.Min(available, buffer.Length));
                    if (n <= 0)
                    {
                        return;
                    }

                    Take(buffer.AsMemory(0, n), observer);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe was closed under us; what was read so far is kept.
        }
        finally
        {
            _markReached?.TrySetResult();
            if (added)
            {
                pipe.SafePipeHandle.DangerousRelease();
            }
        }
    }

    private async Task PumpReadingAsync(Stream stream, Action<ReadOnlyMemory<byte>>? observer)
    {
        var buffer = new byte[8192];
        try
        {
            int n;
            while (!_abandoned && (n = await stream.ReadAsync(buffer)) > 0)
            {
                lock (_lock)
                {
                    Take(buffer.AsMemory(0, n), observer);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe was closed under us after a kill; what was read so far is kept.
        }
    }

    /// <summary>Counts a chunk read; keeps and hands on the part before the mark. Called under the lock.</summary>
    private void Take(ReadOnlyMemory<byte> chunk, Action<ReadOnlyMemory<byte>>? observer)
    {
        var keep = (int)Math.Clamp(_keepUntil - _received, 0, chunk.Length);
        _received += chunk.Length;
        if (keep > 0)
        {
            Append(chunk.Span[..keep]);
            observer?.Invoke(chunk[..keep]);
        }

        if (_received >= _keepUntil)
        {
            _markReached?.TrySetResult();
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        var toHead = Math.Min(data.Length, _head.Length - _headCount);
        data[..toHead].CopyTo(_head.AsSpan(_headCount));
        _headCount += toHead;
        data = data[toHead..];
        if (data.Length >= _tail.Length)
        {
            data[^_tail.Length..].CopyTo(_tail);
            _tailStart = 0;
            _tailCount = _tail.Length;
            return;
        }

        foreach (var b in data)
        {
            var index = (_tailStart + _tailCount) % _tail.Length;
            _tail[index] = b;
            if (_tailCount < _tail.Length)
            {
                _tailCount++;
            }
            else
            {
                _tailStart = (_tailStart + 1) % _tail.Length;
            }
        }
    }

    public CapturedOutput ToCaptured()
    {
        lock (_lock)
        {
            if (_total == 0)
            {
                return CapturedOutput.Empty;
            }

            var tail = new byte[_tailCount];
            for (var i = 0; i < _tailCount; i++)
            {
                tail[i] = _tail[(_tailStart + i) % _tail.Length];
            }

            var omitted = _total - _headCount - _tailCount;
            var utf8 = Encoding.UTF8;
            if (omitted == 0)
            {
                return new CapturedOutput(utf8.GetString([.. _head.AsSpan(0, _headCount), .. tail]), _total, false);
            }

            var text = string.Concat(utf8.GetString(_head, 0, _headCount), $"\n[… {omitted} bytes omitted …]\n", utf8.GetString(tail));
            return new CapturedOutput(text, _total, true);
        }
    }
}
