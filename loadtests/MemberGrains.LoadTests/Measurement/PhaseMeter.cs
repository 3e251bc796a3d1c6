using System.Diagnostics;
using HdrHistogram;

namespace MemberGrains.LoadTests.Measurement;

/// <summary>
/// The operations of one phase and their running totals. <see cref="Tick"/> (once a second, from
/// the phase's progress loop) moves each recorder's interval histogram into the totals, remembers
/// the interval's rates for the live display and hands the interval to <see cref="Interval"/>.
/// </summary>
internal sealed class PhaseMeter
{
    private readonly Dictionary<string, OpRecorder> _recorders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HistogramBase> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lastRate = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _started;
    private long _lastTick;
    private long _stopped;

    public PhaseMeter(string title, params string[] operations)
    {
        Title = title;
        foreach (var op in operations)
        {
            Add(op);
        }
    }

    public string Title { get; }

    /// <summary>Extra status for the live display ("members 40,000 of 100,000").</summary>
    public Func<string>? Status { get; set; }

    /// <summary>Called by every tick, on the ticking thread.</summary>
    public Action<IntervalSample>? Interval { get; set; }

    public IEnumerable<OpRecorder> Recorders => _recorders.Values;

    /// <summary>Seconds between <see cref="Start"/> and <see cref="Stop"/> (or now).</summary>
    public double Seconds
    {
        get
        {
            var started = Interlocked.Read(ref _started);
            if (started == 0)
            {
                return 0;
            }

            var end = Interlocked.Read(ref _stopped);
            return Stopwatch.GetElapsedTime(started, end == 0 ? Stopwatch.GetTimestamp() : end).TotalSeconds;
        }
    }

    public OpRecorder this[string operation] => _recorders[operation];

    public OpRecorder Add(string operation)
    {
        lock (_gate)
        {
            var recorder = new OpRecorder(operation);
            _recorders.Add(operation, recorder);
            _totals.Add(operation, new LongHistogram(OpRecorder.HighestMicros, 3));
            _lastRate[operation] = 0;
            return recorder;
        }
    }

    /// <summary>Starts the clock (rates and the time series count from here) and drops anything recorded before.</summary>
    public void Start()
    {
        lock (_gate)
        {
            foreach (var recorder in _recorders.Values)
            {
                recorder.TakeInterval();
            }

            _started = _lastTick = Stopwatch.GetTimestamp();
            _stopped = 0;
        }
    }

    /// <summary>Stops the clock after a last tick.</summary>
    public void Stop()
    {
        Tick();
        Interlocked.Exchange(ref _stopped, Stopwatch.GetTimestamp());
    }

    public void Tick()
    {
        lock (_gate)
        {
            if (_started == 0 || _stopped != 0)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            var length = Stopwatch.GetElapsedTime(_lastTick, now);
            var elapsed = Stopwatch.GetElapsedTime(_started, now);
            _lastTick = now;
            var intervals = new Dictionary<string, HistogramBase>(StringComparer.Ordinal);
            foreach (var (op, recorder) in _recorders)
            {
                var interval = recorder.TakeInterval();
                intervals[op] = interval;
                _totals[op].Add(interval);
                _lastRate[op] = length.TotalSeconds > 0 ? interval.TotalCount / length.TotalSeconds : 0;
            }

            Interval?.Invoke(new IntervalSample(elapsed, length, intervals));
        }
    }

    /// <summary>Each operation's totals so far.</summary>
    public IReadOnlyList<LatencySummary> Summaries()
    {
        lock (_gate)
        {
            var seconds = Seconds;
            return [.. _recorders.Values.Select(r => LatencySummary.Of(r.Name, _totals[r.Name], seconds, r.ErrorCount))];
        }
    }

    public LatencySummary Summary(string operation) => Summaries().First(s => s.Operation == operation);

    /// <summary>A copy of an operation's total histogram.</summary>
    public HistogramBase Total(string operation)
    {
        lock (_gate)
        {
            return _totals[operation].Copy();
        }
    }

    /// <summary>Calls per second of the last tick.</summary>
    public double LastRate(string operation)
    {
        lock (_gate)
        {
            return _lastRate[operation];
        }
    }
}
