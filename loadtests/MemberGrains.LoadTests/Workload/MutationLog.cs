using System.Collections.Concurrent;
using Grpc.Core;

namespace MemberGrains.LoadTests.Workload;

/// <summary>Every mutation the run sent, with its outcome: what verification checks Postgres against.</summary>
internal sealed class MutationLog
{
    private readonly ConcurrentQueue<MutationRecord> _records = new();
    private long _replayed;

    public int Count => _records.Count;

    /// <summary>Answers marked replayed (the generator never retries, so each is a surprise worth reporting).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    public IEnumerable<MutationRecord> Records => _records;

    /// <summary>Whether a failure with this status leaves the outcome open.</summary>
    public static bool IsUnknown(StatusCode code, string detail) => code switch
    {
        StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown or StatusCode.Internal or StatusCode.DataLoss => true,
        // The server's own UNAVAILABLE says nothing was applied; a transport failure says nothing at all.
        StatusCode.Unavailable => !(detail.Contains("nothing was applied", StringComparison.OrdinalIgnoreCase)
                                    || detail.Contains("could not be read", StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    public void Acknowledged(int member, string requestId, MutationKind kind, long points, bool replayed)
    {
        if (replayed)
        {
            Interlocked.Increment(ref _replayed);
        }

        _records.Enqueue(new MutationRecord(member, requestId, kind, points, MutationOutcome.Acknowledged));
    }

    public void Failed(int member, string requestId, MutationKind kind, StatusCode code, string detail) =>
        _records.Enqueue(new MutationRecord(member, requestId, kind, 0, IsUnknown(code, detail) ? MutationOutcome.Unknown : MutationOutcome.Failed));

    /// <summary>Records a mutation's answer.</summary>
    public void Record<T>(int member, string requestId, MutationKind kind, in CallResult<T> result, Func<T, (long Points, bool Replayed)> receipt)
        where T : class
    {
        if (result.Ok)
        {
            var (points, replayed) = receipt(result.Reply!);
            Acknowledged(member, requestId, kind, points, replayed);
        }
        else
        {
            Failed(member, requestId, kind, result.Code, result.Detail);
        }
    }

    public long CountOf(MutationOutcome outcome) => _records.Count(r => r.Outcome == outcome);
}
