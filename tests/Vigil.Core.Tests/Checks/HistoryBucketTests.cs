using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

public sealed class HistoryBucketTests
{
    private static readonly DateTimeOffset H = new(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);

    private static HistorySample S(TimeSpan at, HealthState state, FailureReason reason, int latencyMs) =>
        new(H + at, state, reason, latencyMs);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    // ---- HourOf -------------------------------------------------------------------------------

    [Theory]
    [InlineData("2025-06-02T10:00:00.0000000+00:00", "2025-06-02T10:00:00+00:00")]
    [InlineData("2025-06-02T10:59:59.9999999+00:00", "2025-06-02T10:00:00+00:00")]
    [InlineData("2025-06-02T11:00:00.0000001+00:00", "2025-06-02T11:00:00+00:00")]
    [InlineData("2025-06-02T00:00:00.0000000+00:00", "2025-06-02T00:00:00+00:00")]
    // Offsets: the hour is the UTC hour (16:15+05:30 is 10:45Z; 00:30+02:00 is 22:30Z the day before).
    [InlineData("2025-06-02T16:15:00.0000000+05:30", "2025-06-02T10:00:00+00:00")]
    [InlineData("2025-06-02T00:30:00.0000000+02:00", "2025-06-01T22:00:00+00:00")]
    public void HourOf_AnyTime_TruncatesToUtcHour(string input, string expected)
    {
        var hour = HistoryBucket.HourOf(DateTimeOffset.Parse(input, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), hour);
        Assert.Equal(TimeSpan.Zero, hour.Offset);
    }

    [Fact]
    public void Constructor_TimeInsideHour_HourIsTruncated()
    {
        var b = new HistoryBucket("edge-api/health", H.AddMinutes(42).AddSeconds(7));

        Assert.Equal(H, b.Hour);
        Assert.Equal("edge-api/health", b.Key);
        Assert.Equal(0, b.Count);
        Assert.False(b.Dirty);
    }

    // ---- encode / decode ----------------------------------------------------------------------

    private static readonly int[] LatencyValues = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 60_000, int.MaxValue];

    public static TheoryData<int> Latencies()
    {
        var data = new TheoryData<int>();
        foreach (var latency in LatencyValues)
        {
            data.Add(latency);
        }

        return data;
    }

    [Fact]
    public void EncodeSamples_Decode_RoundTripsExactly()
    {
        var samples = new List<HistorySample>();
        var at = TimeSpan.Zero;
        var i = 0;
        foreach (var state in Enum.GetValues<HealthState>())
        {
            foreach (var reason in Enum.GetValues<FailureReason>())
            {
                samples.Add(S(at, state, reason, LatencyValues[i % LatencyValues.Length]));
                at += Ms(1 + (i * 7919 % 60_000)); // deltas from 1 ms to 60 s, millisecond precision
                i++;
            }
        }

        // Same-millisecond duplicates and a sample in the last millisecond of the hour.
        samples.Add(S(at, HealthState.Ok, FailureReason.None, 5));
        samples.Add(S(TimeSpan.FromHours(1) - Ms(1), HealthState.Critical, FailureReason.Late, 0));
        Assert.True(at < TimeSpan.FromHours(1) - Ms(1));

        var bytes = HistoryBucket.EncodeSamples(H, samples);
        var decoded = HistoryBucket.DecodeSamples(H, bytes);

        Assert.Equal(samples, decoded);
    }

    [Theory]
    [MemberData(nameof(Latencies))]
    public void EncodeSamples_LargeAndBoundaryLatencies_RoundTrip(int latency)
    {
        var samples = new List<HistorySample> { S(Sec(3), HealthState.Warning, FailureReason.Latency, latency) };

        var decoded = HistoryBucket.DecodeSamples(H, HistoryBucket.EncodeSamples(H, samples));

        Assert.Equal(latency, Assert.Single(decoded).LatencyMs);
    }

    [Fact]
    public void EncodeSamples_SubMillisecondTimes_TruncateToMillisecondWithoutDrift()
    {
        var rng = new Random(5);
        var samples = new List<HistorySample>();
        var at = TimeSpan.Zero;
        for (var i = 0; i < 360; i++)
        {
            at += TimeSpan.FromTicks(TimeSpan.TicksPerSecond * 10 + rng.Next(0, 20_000)); // 10 s plus up to 2 ms of ticks
            samples.Add(S(at, HealthState.Ok, FailureReason.None, 10));
        }

        var decoded = HistoryBucket.DecodeSamples(H, HistoryBucket.EncodeSamples(H, samples));

        Assert.Equal(samples.Count, decoded.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var expected = H.AddTicks((samples[i].At - H).Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
            Assert.Equal(expected, decoded[i].At);
        }
    }

    [Fact]
    public void EncodeSamples_Empty_DecodesToEmpty()
    {
        var bytes = HistoryBucket.EncodeSamples(H, []);

        Assert.Empty(bytes);
        Assert.Empty(HistoryBucket.DecodeSamples(H, bytes));
    }

    [Fact]
    public void EncodeSamples_OneSample_UsesVarintsAndOneStateByte()
    {
        // delta 300 ms = 0xAC 0x02, latency 5 = 0x05, critical (3) << 4 | timeout (4) = 0x34.
        var bytes = HistoryBucket.EncodeSamples(H, [S(Ms(300), HealthState.Critical, FailureReason.Timeout, 5)]);

        Assert.Equal(new byte[] { 0xAC, 0x02, 0x05, 0x34 }, bytes);
    }

    [Fact]
    public void DecodeSamples_TruncatedAnywhereInsideASample_ThrowsFormatException()
    {
        var samples = new List<HistorySample>
        {
            S(Ms(200), HealthState.Ok, FailureReason.None, 3),                  // 2-byte delta
            S(Sec(20), HealthState.Critical, FailureReason.Connect, 70_000),    // 3-byte delta, 3-byte latency
            S(Sec(50), HealthState.Warning, FailureReason.Latency, int.MaxValue), // 5-byte latency
            S(Sec(50), HealthState.Unknown, FailureReason.NoData, 0),           // zero delta
        };
        var bytes = HistoryBucket.EncodeSamples(H, samples);
        // Where each whole sample ends: a cut there is indistinguishable from fewer samples.
        var boundaries = Enumerable.Range(0, samples.Count + 1)
            .ToDictionary(n => HistoryBucket.EncodeSamples(H, samples.Take(n).ToList()).Length, n => n);
        Assert.Equal(samples.Count, boundaries[bytes.Length]);

        var cuts = 0;
        for (var length = 1; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            if (boundaries.TryGetValue(length, out var whole))
            {
                Assert.Equal(samples.Take(whole), HistoryBucket.DecodeSamples(H, prefix));
                continue;
            }

            cuts++;
            var ex = Record.Exception(() => HistoryBucket.DecodeSamples(H, prefix));
            Assert.True(ex is FormatException, $"cut at {length}/{bytes.Length}: {ex?.GetType().Name ?? "no exception"}");
        }

        Assert.True(cuts >= 15, $"only {cuts} cuts tested");
    }

    [Fact]
    public void DecodeMinutes_Truncated_ThrowsFormatException()
    {
        var bytes = HistoryBucket.EncodeMinutes(H, [new MinuteRollup(H.AddMinutes(59), 6, 1, 300, 70_000)]);

        for (var length = 1; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            var ex = Record.Exception(() => HistoryBucket.DecodeMinutes(H, prefix));
            Assert.True(ex is FormatException, $"cut at {length}/{bytes.Length}: {ex?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void EncodeSamples_OneHourAtTenSecondsWithTypicalLatencies_UnderFifteenHundredBytes()
    {
        // 360 samples; latencies of a LAN/localhost health check (5–120 ms) with an occasional slow spike.
        var rng = new Random(360);
        var samples = new List<HistorySample>();
        for (var i = 0; i < 360; i++)
        {
            var slow = i % 30 == 29;
            var latency = slow ? rng.Next(200, 2_000) : rng.Next(5, 120);
            var failed = i % 90 == 45;
            samples.Add(S(Sec(i * 10) + Ms(rng.Next(0, 50)),
                failed ? HealthState.Critical : HealthState.Ok,
                failed ? FailureReason.Timeout : FailureReason.None,
                latency));
        }

        var bytes = HistoryBucket.EncodeSamples(H, samples);

        Assert.True(bytes.Length < 1_500, $"{bytes.Length} bytes for 360 samples");
        Assert.Equal(samples, HistoryBucket.DecodeSamples(H, bytes));
    }

    [Fact]
    public void EncodeMinutes_Decode_RoundTrips()
    {
        var minutes = new List<MinuteRollup>
        {
            new(H, 6, 0, 12, 40),
            new(H.AddMinutes(1), 6, 6, 5_000, 5_000),
            new(H.AddMinutes(37), 1, 1, 0, 0),
            new(H.AddMinutes(59), 600, 17, 130, int.MaxValue),
        };

        var decoded = HistoryBucket.DecodeMinutes(H, HistoryBucket.EncodeMinutes(H, minutes));

        Assert.Equal(minutes, decoded);
    }

    [Fact]
    public void EncodeRaw_BucketWithSampleJustBeforeTheHour_LaterSamplesKeepTheirTimes()
    {
        // A result stamped 200 ms before the hour lands in the new hour's bucket (the loop rolled over
        // while the probe ran). It may be clamped to the hour, but it must not shift the samples after it.
        var bucket = new HistoryBucket("edge-api/health", H);
        bucket.Add(new HistorySample(H - Ms(200), HealthState.Ok, FailureReason.None, 12));
        bucket.Add(new HistorySample(H + Sec(10), HealthState.Ok, FailureReason.None, 11));
        bucket.Add(new HistorySample(H + Sec(20), HealthState.Critical, FailureReason.Connect, 2));

        var decoded = HistoryBucket.DecodeSamples(H, bucket.EncodeRaw());

        Assert.Equal(3, decoded.Count);
        Assert.Equal(H + Sec(10), decoded[1].At);
        Assert.Equal(H + Sec(20), decoded[2].At);
    }

    [Fact]
    public void EncodeSamples_OutOfOrderSample_LaterSamplesKeepTheirTimes()
    {
        var samples = new List<HistorySample>
        {
            S(Sec(10), HealthState.Ok, FailureReason.None, 1),
            S(Sec(5), HealthState.Ok, FailureReason.None, 2), // stray earlier sample
            S(Sec(20), HealthState.Ok, FailureReason.None, 3),
        };

        var decoded = HistoryBucket.DecodeSamples(H, HistoryBucket.EncodeSamples(H, samples));

        Assert.Equal(H + Sec(20), decoded[2].At);
    }

    // ---- Add / FromRaw ------------------------------------------------------------------------

    [Fact]
    public void Add_EarlierThanPrevious_ClampedToPreviousTime()
    {
        var bucket = new HistoryBucket("k", H);
        bucket.Add(S(Sec(30), HealthState.Ok, FailureReason.None, 1));

        bucket.Add(S(Sec(20), HealthState.Critical, FailureReason.Dns, 2));

        var raw = bucket.ToRollup().Raw!;
        Assert.Equal(H + Sec(30), raw[1].At);
        Assert.Equal(HealthState.Critical, raw[1].State);
    }

    [Fact]
    public void Add_ThenMarkFlushed_TracksDirty()
    {
        var bucket = new HistoryBucket("k", H);

        bucket.Add(S(Sec(1), HealthState.Ok, FailureReason.None, 1));
        Assert.True(bucket.Dirty);
        Assert.Equal(1, bucket.Count);

        bucket.MarkFlushed();
        Assert.False(bucket.Dirty);

        bucket.Add(S(Sec(2), HealthState.Ok, FailureReason.None, 1));
        Assert.True(bucket.Dirty);
    }

    [Fact]
    public void FromRaw_EncodedRaw_RestoresSameBucket()
    {
        var bucket = new HistoryBucket("edge-api/health", H);
        bucket.Add(S(Sec(10), HealthState.Ok, FailureReason.None, 14));
        bucket.Add(S(Sec(20), HealthState.Critical, FailureReason.Status, 9));

        var restored = HistoryBucket.FromRaw("edge-api/health", H, HistoryBucket.DecodeSamples(H, bucket.EncodeRaw()));

        Assert.Equal(2, restored.Count);
        Assert.False(restored.Dirty);
        Assert.Equal(bucket.EncodeRaw(), restored.EncodeRaw());
        Assert.Equal(bucket.ToRollup().Raw, restored.ToRollup().Raw);
    }

    // ---- rollups ------------------------------------------------------------------------------

    private static List<HistorySample> HandData() =>
    [
        // minute 0: 3 samples, 1 failure, latencies 100, 200, 5000
        S(Sec(5), HealthState.Ok, FailureReason.None, 100),
        S(Sec(15), HealthState.Ok, FailureReason.None, 200),
        S(Sec(25), HealthState.Critical, FailureReason.Timeout, 5_000),
        // minute 1: 2 samples, 1 failure (warning counts), latencies 40, 800
        S(Sec(65), HealthState.Ok, FailureReason.None, 40),
        S(Sec(75), HealthState.Warning, FailureReason.Latency, 800),
        // minute 5: 2 samples, unknown counts as a failure; latencies 0, 62
        S(TimeSpan.FromMinutes(5), HealthState.Unknown, FailureReason.NoData, 0),
        S(TimeSpan.FromMinutes(5) + Sec(30), HealthState.Critical, FailureReason.Timeout, 62),
        // minute 59: the last millisecond of the hour
        S(TimeSpan.FromHours(1) - Ms(1), HealthState.Critical, FailureReason.Connect, 3),
    ];

    [Fact]
    public void Summarize_HandComputedData_MinuteRollupsCorrect()
    {
        var samples = HandData();

        var rollup = HistoryBucket.Summarize("k", H, samples, includeRaw: false);

        Assert.Equal(
            [
                new MinuteRollup(H, 3, 1, 1_767, 5_000),            // (100 + 200 + 5000) / 3 = 1766.67
                new MinuteRollup(H.AddMinutes(1), 2, 1, 420, 800),  // (40 + 800) / 2
                new MinuteRollup(H.AddMinutes(5), 2, 2, 31, 62),    // (0 + 62) / 2
                new MinuteRollup(H.AddMinutes(59), 1, 1, 3, 3),
            ],
            rollup.Minutes);
        Assert.Null(rollup.Raw);
    }

    [Fact]
    public void Summarize_HandComputedData_HourStatsCorrect()
    {
        var samples = HandData();

        var rollup = HistoryBucket.Summarize("edge-api/health", H, samples, includeRaw: true);

        Assert.Equal("edge-api/health", rollup.Key);
        Assert.Equal(H, rollup.Hour);
        Assert.Equal(8, rollup.Count);
        Assert.Equal(5, rollup.Failures);
        Assert.Equal(
            new Dictionary<FailureReason, int>
            {
                [FailureReason.Timeout] = 2,
                [FailureReason.Latency] = 1,
                [FailureReason.NoData] = 1,
                [FailureReason.Connect] = 1,
            },
            rollup.FailuresByReason);
        // Sorted latencies: 0, 3, 40, 62, 100, 200, 800, 5000 (sum 6205).
        Assert.Equal(0, rollup.MinLatencyMs);
        Assert.Equal(776, rollup.AvgLatencyMs);   // 6205 / 8 = 775.625
        Assert.Equal(5_000, rollup.MaxLatencyMs);
        Assert.Equal(5_000, rollup.P95LatencyMs); // nearest rank: ceil(0.95 * 8) = 8th
        Assert.Equal(samples, rollup.Raw);
    }

    [Fact]
    public void ToRollup_Bucket_SameAsSummarize()
    {
        var bucket = new HistoryBucket("k", H.AddMinutes(30));
        foreach (var s in HandData())
        {
            bucket.Add(s);
        }

        var rollup = bucket.ToRollup();

        Assert.Equal(8, rollup.Count);
        Assert.Equal(5, rollup.Failures);
        Assert.Equal(4, rollup.Minutes.Count);
        Assert.Equal(8, rollup.Raw!.Count);
        Assert.Null(bucket.ToRollup(includeRaw: false).Raw);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(19, 19)]   // ceil(18.05) = 19
    [InlineData(20, 19)]   // ceil(19) = 19, not the max
    [InlineData(21, 20)]   // ceil(19.95) = 20
    [InlineData(100, 95)]
    [InlineData(360, 342)]
    public void Summarize_LatenciesOneToN_P95IsNearestRank(int n, int expected)
    {
        var rng = new Random(n);
        var samples = Enumerable.Range(1, n).OrderBy(_ => rng.Next())
            .Select((latency, i) => S(Sec(i), HealthState.Ok, FailureReason.None, latency)).ToList();

        var rollup = HistoryBucket.Summarize("k", H, samples, includeRaw: false);

        Assert.Equal(expected, rollup.P95LatencyMs);
        Assert.Equal(1, rollup.MinLatencyMs);
        Assert.Equal(n, rollup.MaxLatencyMs);
    }

    [Fact]
    public void Summarize_AnyCount_P95MatchesIntegerNearestRank()
    {
        for (var n = 1; n <= 1000; n++)
        {
            var samples = Enumerable.Range(1, n).Select(i => S(Ms(i), HealthState.Ok, FailureReason.None, i * 3)).ToList();

            var p95 = HistoryBucket.Summarize("k", H, samples, includeRaw: false).P95LatencyMs;

            var rank = ((95 * n) + 99) / 100; // ceil(0.95 n) in integers
            Assert.True(rank * 3 == p95, $"n={n}: p95 {p95}, expected {rank * 3}");
        }
    }

    [Fact]
    public void Summarize_NoSamples_AllZero()
    {
        var rollup = HistoryBucket.Summarize("k", H, [], includeRaw: true);

        Assert.Equal(0, rollup.Count);
        Assert.Equal(0, rollup.Failures);
        Assert.Empty(rollup.FailuresByReason);
        Assert.Equal(0, rollup.MinLatencyMs);
        Assert.Equal(0, rollup.AvgLatencyMs);
        Assert.Equal(0, rollup.MaxLatencyMs);
        Assert.Equal(0, rollup.P95LatencyMs);
        Assert.Empty(rollup.Minutes);
        Assert.Empty(rollup.Raw!);
    }

    // ---- reasons text -------------------------------------------------------------------------

    [Fact]
    public void FormatReasons_Counts_OrderedLowercaseText()
    {
        var text = HistoryBucket.FormatReasons(new Dictionary<FailureReason, int>
        {
            [FailureReason.Timeout] = 1,
            [FailureReason.NoData] = 12,
            [FailureReason.Connect] = 3,
        });

        Assert.Equal("connect:3,timeout:1,no_data:12", text);
    }

    [Fact]
    public void FormatReasons_ParseReasons_RoundTripEveryReason()
    {
        var all = Enum.GetValues<FailureReason>().Select((r, i) => (r, n: (i * 37) + 1)).ToDictionary(x => x.r, x => x.n);

        var parsed = HistoryBucket.ParseReasons(HistoryBucket.FormatReasons(all));

        Assert.Equal(all, parsed);
    }

    [Fact]
    public void FormatReasons_Empty_EmptyString()
    {
        Assert.Equal("", HistoryBucket.FormatReasons(new Dictionary<FailureReason, int>()));
        Assert.Empty(HistoryBucket.ParseReasons(""));
        Assert.Empty(HistoryBucket.ParseReasons(null));
    }

    [Fact]
    public void ParseReasons_MalformedParts_SkippedOthersKept()
    {
        var parsed = HistoryBucket.ParseReasons("connect:3,bogus:2,timeout,:4,dns:x,,tls:7");

        Assert.Equal(new Dictionary<FailureReason, int> { [FailureReason.Connect] = 3, [FailureReason.Tls] = 7 }, parsed);
    }
}
