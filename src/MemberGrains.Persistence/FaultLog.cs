using Microsoft.Extensions.Logging;

namespace MemberGrains.Persistence;

/// <summary>
/// Logs a run of failures of one kind (storage failing under members, calls failing to reach a
/// member's silo) as a few lines, not one per member and call: the first failure of a run is logged
/// with its reason, repeats are counted, and when things work again one line says how many failed,
/// for how many members, over how long.
/// </summary>
public sealed partial class FaultLog(string name, ILogger logger, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
    private long _failures;
    private long _since;

    /// <summary>What fails, as the log lines name it ("Member storage").</summary>
    public string Name { get; } = name;

    /// <summary>Failures counted since things last worked (0 when they work).</summary>
    public long CurrentFailures => Interlocked.Read(ref _failures);

    /// <summary>Counts a failure of <paramref name="what"/> for <paramref name="memberId"/>; logs it if it starts a run.</summary>
    public void Failed(string what, string memberId, Exception e)
    {
        lock (_lock)
        {
            if (Interlocked.Increment(ref _failures) == 1)
            {
                _since = time.GetTimestamp();
                LogFirstFailure(logger, Name, what, memberId, e.GetType().Name, e.Message);
            }

            if (_members.Count < 100_000)
            {
                _members.Add(memberId);
            }
        }
    }

    /// <summary>It worked: ends a run of failures with one summary line (nearly free when there was none).</summary>
    public void Succeeded()
    {
        if (Interlocked.Read(ref _failures) == 0)
        {
            return;
        }

        lock (_lock)
        {
            var failures = Interlocked.Exchange(ref _failures, 0);
            if (failures == 0)
            {
                return;
            }

            LogRecovered(logger, Name, failures, _members.Count, time.GetElapsedTime(_since).TotalSeconds);
            _members.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name} failing: {What} for member {MemberId} failed ({Type}: {Reason}); further failures are counted until it works again")]
    private static partial void LogFirstFailure(ILogger logger, string name, string what, string memberId, string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} works again after {Failures} failures for {Members} members over {Seconds:0.0} s")]
    private static partial void LogRecovered(ILogger logger, string name, long failures, int members, double seconds);
}
