using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;

namespace MemberGrains.LoadTests.Measurement;

/// <summary>
/// Latencies (microseconds, HdrHistogram, 3 significant digits, up to 1 hour) and outcomes of one
/// operation. Recording is thread-safe and wait-free (an HdrHistogram <see cref="Recorder"/>); the
/// meter takes an interval histogram each tick and keeps the totals. Failed calls are timed too —
/// leaving them out would hide the slowest calls — and also counted by status code.
/// </summary>
internal sealed class OpRecorder(string name)
{
    /// <summary>Largest latency recorded, in microseconds; longer ones count as this.</summary>
    public const long HighestMicros = 3_600_000_000;

    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private readonly Recorder _recorder = new(1, HighestMicros, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
    private readonly long[] _errors = new long[17];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<StatusCode, string> _firstDetails = new();
    private long _dropped;

    public string Name { get; } = name;

    /// <summary>Errors by gRPC status code so far (only codes that occurred).</summary>
    public IReadOnlyDictionary<StatusCode, long> Errors
    {
        get
        {
            var errors = new Dictionary<StatusCode, long>();
            for (var code = 0; code < _errors.Length; code++)
            {
                var n = Interlocked.Read(ref _errors[code]);
                if (n > 0)
                {
                    errors[(StatusCode)code] = n;
                }
            }

            return errors;
        }
    }

    /// <summary>Calls that were never made because the generator was over its in-flight limit.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long ErrorCount
    {
        get
        {
            long n = Dropped;
            for (var code = 0; code < _errors.Length; code++)
            {
                n += Interlocked.Read(ref _errors[code]);
            }

            return n;
        }
    }

    public static long MicrosBetween(long startTimestamp, long endTimestamp) =>
        Math.Clamp((long)((endTimestamp - startTimestamp) * MicrosPerTick), 1, HighestMicros);

    /// <summary>A call that answered OK, started (or meant to start) at <paramref name="startTimestamp"/>.</summary>
    public void Ok(long startTimestamp, long endTimestamp) => _recorder.RecordValue(MicrosBetween(startTimestamp, endTimestamp));

    /// <summary>The first message seen with each status code.</summary>
    public IReadOnlyDictionary<StatusCode, string> FirstDetails => _firstDetails;

    /// <summary>A call that failed with <paramref name="code"/>.</summary>
    public void Failed(StatusCode code, string detail, long startTimestamp, long endTimestamp)
    {
        _recorder.RecordValue(MicrosBetween(startTimestamp, endTimestamp));
        Interlocked.Increment(ref _errors[(int)code]);
        _firstDetails.TryAdd(code, detail);
    }

    public void Drop() => Interlocked.Increment(ref _dropped);

    /// <summary>What was recorded since the previous call (the meter's tick only).</summary>
    public HistogramBase TakeInterval() => _recorder.GetIntervalHistogram();
}
