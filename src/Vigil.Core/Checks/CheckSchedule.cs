using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Checks;

/// <summary>
/// When a check runs. Each check gets a fixed phase inside its interval, derived from a hash of
/// its key, so 10,000 checks with the same interval spread evenly instead of firing together,
/// and a restart or another node computes the same times. Optional <c>jitter</c> adds a further
/// per-run offset, also derived from the key and the run number.
/// </summary>
public static class CheckSchedule
{
    /// <summary>The first run time strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextAfter(string key, TimeSpan every, TimeSpan jitter, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (every <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, "The interval must be positive.");
        }

        var phase = (long)(Hash(key) % (ulong)every.Ticks);
        var t = now.UtcTicks;
        // Slot k starts at k*every + phase and runs at start + jitter(k). The current slot's run
        // may still be ahead of now (we are inside its jitter), so look at it before the next one.
        var k = FloorDiv(t - phase, every.Ticks);
        for (var slot = k; ; slot++)
        {
            var run = (slot * every.Ticks) + phase + Offset(key, slot, jitter);
            if (run > t)
            {
                return new DateTimeOffset(run, TimeSpan.Zero);
            }
        }
    }

    private static long Offset(string key, long slot, TimeSpan jitter) =>
        jitter > TimeSpan.Zero ? (long)(Hash(key + "#" + slot.ToString(System.Globalization.CultureInfo.InvariantCulture)) % (ulong)jitter.Ticks) : 0;

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static ulong Hash(string s) => BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}
