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
    private double _earlierSeconds;

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

    /// <summary>
    /// Seconds between <see cref="Start"/> and <see cref="Stop"/> (or now), plus those of the
    /// meter's earlier runs when it was started again with <see cref="Resume"/>.
    /// </summary>
    public double Seconds
    {
        get
        {
            lock (_gate)
            {
                return SecondsSoFar();
            }
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
            _earlierSeconds = 0;
            foreach (var total in _totals.Values)
            {
                total.Reset();
            }

            StartClock();
        }
    }

    /// <summary>
    /// Starts the clock again after <see cref="Stop"/>, keeping the totals and the time of the runs
    /// before: a measurement made in several slices counts as one (rates over the slices' time
    /// only). Anything recorded between the slices is dropped.
    /// </summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_started != 0)
            {
                if (_stopped == 0)
                {
                    throw new InvalidOperationException($"{Title}: resumed while running.");
                }

                _earlierSeconds += Stopwatch.GetElapsedTime(_started, _stopped).TotalSeconds;
            }

            StartClock();
        }
    }

    private double SecondsSoFar() => _started == 0
        ? _earlierSeconds
        : _earlierSeconds + Stopwatch.GetElapsedTime(_started, _stopped == 0 ? Stopwatch.GetTimestamp() : _stopped).TotalSeconds;

    private void StartClock()
    {
        foreach (var recorder in _recorders.Values)
        {
            recorder.TakeInterval();
        }

        _started = _lastTick = Stopwatch.GetTimestamp();
        _stopped = 0;
    }

    /// <summary>Stops the clock after a last tick.</summary>
    public void Stop()
    {
        Tick();
        lock (_gate)
        {
            _stopped = Stopwatch.GetTimestamp();
        }
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
            var seconds = SecondsSoFar();
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
