using System.Globalization;

namespace Vigil.Core.Checks;

/// <summary>
/// Accumulates one check's results for one hour and encodes them compactly, so storage grows
/// with hours, not with probes: a sample costs 3–5 bytes (varint time delta, varint latency —
/// one byte under 128 ms, two under 16 s — and one byte for state and reason) and a minute rollup about 6.
/// </summary>
public sealed class HistoryBucket
{
    // Samples are kept encoded (3-5 bytes each) rather than as structs (32 bytes): 10,000 checks
    // at 5 s hold 7.2 million samples by the end of an hour.
    private byte[] _encoded = new byte[64];
    private int _length;
    private DateTimeOffset _last;

    public HistoryBucket(string key, DateTimeOffset hour)
    {
        Key = key;
        Hour = HourOf(hour);
        _last = Hour;
    }

    public string Key { get; }

    public DateTimeOffset Hour { get; }

    public int Count { get; private set; }

    /// <summary>True when samples were added since the last <see cref="MarkFlushed"/>.</summary>
    public bool Dirty { get; private set; }

    public static DateTimeOffset HourOf(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    public void Add(HistorySample sample)
    {
        // Samples arrive in time order per check; a stray earlier one is stored at the previous
        // sample's time so deltas stay non-negative.
        var deltaMs = Math.Max(0, (sample.At - _last).Ticks / TimeSpan.TicksPerMillisecond);
        Span<byte> scratch = stackalloc byte[21];
        var n = WriteVarint(scratch, (ulong)deltaMs);
        n += WriteVarint(scratch[n..], (ulong)Math.Max(0, sample.LatencyMs));
        scratch[n++] = (byte)(((int)sample.State << 4) | ((int)sample.Reason & 0x0F));
        if (_length + n > _encoded.Length)
        {
            Array.Resize(ref _encoded, Math.Max(_encoded.Length * 2, _length + n));
        }

        scratch[..n].CopyTo(_encoded.AsSpan(_length));
        _length += n;
        _last = _last.AddTicks(deltaMs * TimeSpan.TicksPerMillisecond);
        Count++;
        Dirty = true;
    }

    public void MarkFlushed() => Dirty = false;

    /// <summary>Restores a bucket from stored raw samples (after a restart within the hour).</summary>
    public static HistoryBucket FromRaw(string key, DateTimeOffset hour, IEnumerable<HistorySample> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var b = new HistoryBucket(key, hour);
        foreach (var s in raw)
        {
            b.Add(s);
        }

        b.Dirty = false;
        return b;
    }

    public HourRollup ToRollup(bool includeRaw = true) => Summarize(Key, Hour, DecodeSamples(Hour, _encoded.AsSpan(0, _length)), includeRaw);

    public byte[] EncodeRaw() => _encoded.AsSpan(0, _length).ToArray();

    public static HourRollup Summarize(string key, DateTimeOffset hour, IReadOnlyList<HistorySample> samples, bool includeRaw)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var failures = samples.Where(s => s.State != HealthState.Ok).ToList();
        var byReason = failures.GroupBy(s => s.Reason).ToDictionary(g => g.Key, g => g.Count());
        var latencies = samples.Select(s => s.LatencyMs).Order().ToArray();
        var minutes = samples
            .GroupBy(s => (int)((s.At - hour).Ticks / TimeSpan.TicksPerMinute))
            .OrderBy(g => g.Key)
            .Select(g => new MinuteRollup(hour.AddMinutes(g.Key), g.Count(), g.Count(s => s.State != HealthState.Ok),
                (int)Math.Round(g.Average(s => s.LatencyMs)), g.Max(s => s.LatencyMs)))
            .ToList();
        return new HourRollup(key, hour, samples.Count, failures.Count, byReason,
            latencies.Length == 0 ? 0 : latencies[0],
            latencies.Length == 0 ? 0 : (int)Math.Round(latencies.Average()),
            latencies.Length == 0 ? 0 : latencies[^1],
            latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(0.95 * latencies.Length) - 1)],
            minutes,
            includeRaw ? samples.ToList() : null);
    }

    // ---- encoding -------------------------------------------------------------------------

    public static byte[] EncodeSamples(DateTimeOffset hour, IReadOnlyList<HistorySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var bucket = new HistoryBucket("", hour);
        foreach (var s in samples)
        {
            bucket.Add(s);
        }

        return bucket.EncodeRaw();
    }

    public static List<HistorySample> DecodeSamples(DateTimeOffset hour, ReadOnlySpan<byte> data)
    {
        var list = new List<HistorySample>();
        var at = hour;
        var i = 0;
        while (i < data.Length)
        {
            var delta = ReadVarint(data, ref i);
            var latency = ReadVarint(data, ref i);
            if (i >= data.Length)
            {
                throw new FormatException("History sample is truncated.");
            }

            var b = data[i++];
            var state = (HealthState)(b >> 4);
            var reason = (FailureReason)(b & 0x0F);
            if (delta > (ulong)TimeSpan.FromDays(1).TotalMilliseconds || !Enum.IsDefined(state) || !Enum.IsDefined(reason))
            {
                throw new FormatException("History sample is corrupt.");
            }

            at = at.AddMilliseconds(delta);
            list.Add(new HistorySample(at, state, reason, (int)Math.Min(latency, int.MaxValue)));
        }

        return list;
    }

    public static byte[] EncodeMinutes(DateTimeOffset hour, IReadOnlyList<MinuteRollup> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var buffer = new List<byte>(minutes.Count * 6);
        foreach (var m in minutes)
        {
            WriteVarint(buffer, (ulong)((m.Minute - hour).Ticks / TimeSpan.TicksPerMinute));
            WriteVarint(buffer, (ulong)m.Count);
            WriteVarint(buffer, (ulong)m.Failures);
            WriteVarint(buffer, (ulong)m.AvgLatencyMs);
            WriteVarint(buffer, (ulong)m.MaxLatencyMs);
        }

        return [.. buffer];
    }

    public static List<MinuteRollup> DecodeMinutes(DateTimeOffset hour, ReadOnlySpan<byte> data)
    {
        var list = new List<MinuteRollup>();
        var i = 0;
        while (i < data.Length)
        {
            var minute = ReadVarint(data, ref i);
            list.Add(new MinuteRollup(hour.AddMinutes(minute), (int)ReadVarint(data, ref i), (int)ReadVarint(data, ref i),
                (int)ReadVarint(data, ref i), (int)ReadVarint(data, ref i)));
        }

        return list;
    }

    /// <summary>"connect:3,timeout:1": small, readable in SQL, parsed back by <see cref="ParseReasons"/>.</summary>
    public static string FormatReasons(IReadOnlyDictionary<FailureReason, int> byReason)
    {
        ArgumentNullException.ThrowIfNull(byReason);
        return string.Join(',', byReason.OrderBy(kv => kv.Key).Select(kv => $"{ReasonNames.ToName(kv.Key)}:{kv.Value.ToString(CultureInfo.InvariantCulture)}"));
    }

    public static Dictionary<FailureReason, int> ParseReasons(string? text)
    {
        var map = new Dictionary<FailureReason, int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && ReasonNames.TryParse(part[..colon], out var reason) && int.TryParse(part[(colon + 1)..], CultureInfo.InvariantCulture, out var n))
            {
                map[reason] = n;
            }
        }

        return map;
    }

    private static void WriteVarint(List<byte> buffer, ulong value)
    {
        Span<byte> scratch = stackalloc byte[10];
        var n = WriteVarint(scratch, value);
        for (var i = 0; i < n; i++)
        {
            buffer.Add(scratch[i]);
        }
    }

    private static int WriteVarint(Span<byte> buffer, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[i++] = (byte)value;
        return i;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (i >= data.Length || shift > 63)
            {
                throw new FormatException("History varint is truncated.");
            }

            var b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }

            shift += 7;
        }
    }
}
