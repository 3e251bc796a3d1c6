using System.Collections.Concurrent;
using Grpc.Core;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// What one drill (one round of it) saw: every status code by operation, wrong answers, INTERNAL
/// and UNKNOWN answers, requests acknowledged, replayed or given up on, the mutations sent (for
/// the verification), the events and the members' recoveries, and the facts of the fault.
/// </summary>
internal sealed class DrillStats(string name, int round, int members)
{
    /// <summary>Wrong answers and failure messages kept as examples.</summary>
    public const int MaxExamples = 50;

    private readonly ConcurrentDictionary<(string Operation, StatusCode Code), long> _statuses = new();
    private readonly ConcurrentDictionary<string, long> _failureMessages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<WrongAnswer> _wrongAnswers = new();
    private readonly ConcurrentQueue<DrillRecord> _records = new();
    private long _wrong;
    private long _internal;
    private long _acknowledged;
    private long _replayed;
    private long _gaveUp;

    public string Name { get; } = name;

    public int Round { get; } = round;

    /// <summary>"kill9 #2", or just the name for a single round.</summary>
    public string Label => Round > 0 ? $"{Name} #{Round}" : Name;

    public RecoveryTracker Recovery { get; } = new(members);

    /// <summary>Captures are sent through another silo than the one that answered their reservation.</summary>
    public bool CaptureElsewhere { get; init; }

    public long WrongAnswers => Interlocked.Read(ref _wrong);

    /// <summary>INTERNAL and UNKNOWN answers (any attempt).</summary>
    public long InternalErrors => Interlocked.Read(ref _internal);

    /// <summary>Mutations acknowledged (OK, possibly replayed).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Acknowledged with <c>receipt.replayed = true</c>: a retry answered with the first answer.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Requests still failing when the retry bound passed: outcome unknown.</summary>
    public long GaveUp => Interlocked.Read(ref _gaveUp);

    public IEnumerable<WrongAnswer> WrongAnswerExamples => _wrongAnswers;

    public IEnumerable<DrillRecord> Records => _records;

    /// <summary>Count per (operation, status code), every attempt.</summary>
    public IReadOnlyDictionary<(string Operation, StatusCode Code), long> Statuses => _statuses;

    /// <summary>Count per status code, every attempt and operation.</summary>
    public IReadOnlyDictionary<StatusCode, long> Codes => _statuses.GroupBy(kv => kv.Key.Code).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));

    /// <summary>Failed attempts by "CODE operation: message" (messages cut at 200 characters), for the report.</summary>
    public IReadOnlyDictionary<string, long> FailureMessages => _failureMessages;

    /// <summary>Facts about the fault for the report: target silo, activations, timings …</summary>
    public ConcurrentDictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);

    /// <summary>Figures of the drill (milliseconds …) for the report and the result lines.</summary>
    public ConcurrentDictionary<string, double> Figures { get; } = new(StringComparer.Ordinal);

    /// <summary>Why the drill could not be completed, or null.</summary>
    public string? Failure { get; set; }

    public bool Completed { get; set; }

    /// <summary>Why the drill was not run (not a failure), or null.</summary>
    public string? Skipped { get; set; }

    public DrillVerification? Verification { get; set; }

    /// <summary>What the silos logged during the drill behind INTERNAL answers (operation: exception type), and silos told they were dead.</summary>
    public IReadOnlyDictionary<string, long> ServerLog { get; set; } = new Dictionary<string, long>();

    public void Ok(string operation) => _statuses.AddOrUpdate((operation, StatusCode.OK), 1, (_, n) => n + 1);

    /// <summary>A failed attempt (refusal or not).</summary>
    public void Failed(string operation, StatusCode code, string detail)
    {
        _statuses.AddOrUpdate((operation, code), 1, (_, n) => n + 1);
        if (code is StatusCode.Internal or StatusCode.Unknown)
        {
            Interlocked.Increment(ref _internal);
        }

        var key = $"{code} {operation}: {(detail.Length > 200 ? detail[..200] + "…" : detail)}";
        if (_failureMessages.Count < 200 || _failureMessages.ContainsKey(key))
        {
            _failureMessages.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }

    public void Wrong(WrongAnswer answer)
    {
        if (Interlocked.Increment(ref _wrong) <= MaxExamples)
        {
            _wrongAnswers.Enqueue(answer);
        }
    }

    public void Record(DrillRecord record, bool replayed = false)
    {
        _records.Enqueue(record);
        switch (record.Outcome)
        {
            case Workload.MutationOutcome.Acknowledged:
                Interlocked.Increment(ref _acknowledged);
                if (replayed)
                {
                    Interlocked.Increment(ref _replayed);
                }

                break;
            case Workload.MutationOutcome.Unknown:
                Interlocked.Increment(ref _gaveUp);
                break;
        }
    }
}
