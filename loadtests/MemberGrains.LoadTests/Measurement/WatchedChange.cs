namespace MemberGrains.LoadTests.Measurement;

/// <summary>
/// One change (any mutation) of a watched member sent while the watch was open: when it was sent
/// and answered (Stopwatch timestamps, the answer's taken right when it arrived), the highest
/// version the watching stream had delivered when it was sent, and the receipt's balance and points.
/// </summary>
internal readonly record struct WatchedChange(
    bool IsAccrue,
    long SentAt,
    long VersionBefore,
    ChangeState State = ChangeState.InFlight,
    long AnsweredAt = 0,
    long Balance = 0,
    long Points = 0);
