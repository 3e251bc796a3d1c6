using System.Diagnostics;
using Grpc.Core;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// A screen watching one member during a checkout: the views its WatchMember stream delivered and
/// every change the generator sent to the member meanwhile (from any session), so that each
/// accrual can be matched to the view that shows it (<see cref="WatchMatch"/>). Thread-safe: the
/// stream's reader, the sessions changing the member and the watching session share it.
/// </summary>
internal sealed class ScreenWatch(int member)
{
    private readonly Lock _gate = new();
    private readonly List<WatchedView> _views = [];
    private readonly List<WatchedChange> _changes = [];
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastVersion;

    public int Member => member;

    /// <summary>The status the stream broke with (OK: it ended before the screen closed it); null while it works.</summary>
    public Status? Broken { get; private set; }

    /// <summary>A view arrived at <paramref name="arrivedAt"/>.</summary>
    public void Viewed(long version, long balance, long arrivedAt)
    {
        lock (_gate)
        {
            _views.Add(new WatchedView(version, balance, arrivedAt));
            _lastVersion = Math.Max(_lastVersion, version);
            Pulse();
        }
    }

    /// <summary>The stream failed, or ended on its own.</summary>
    public void Broke(Status status)
    {
        lock (_gate)
        {
            Broken ??= status;
            Pulse();
        }
    }

    /// <summary>A change of the member is about to be sent; returns its number for <see cref="Answered"/>.</summary>
    public int Sending(bool accrue)
    {
        lock (_gate)
        {
            _changes.Add(new WatchedChange(accrue, Stopwatch.GetTimestamp(), _lastVersion));
            return _changes.Count - 1;
        }
    }

    /// <summary>The answer to change <paramref name="change"/> arrived at <paramref name="answeredAt"/>.</summary>
    public void Answered(int change, ChangeState state, long answeredAt, long balance, long points)
    {
        lock (_gate)
        {
            _changes[change] = _changes[change] with { State = state, AnsweredAt = answeredAt, Balance = balance, Points = points };
            Pulse();
        }
    }

    /// <summary>Each applied accrual with its verdict so far (<paramref name="final"/>: the watch is closed).</summary>
    public IReadOnlyList<(WatchedChange Accrual, WatchVerdict Verdict)> Verdicts(bool final)
    {
        lock (_gate)
        {
            var verdicts = new List<(WatchedChange, WatchVerdict)>();
            for (var i = 0; i < _changes.Count; i++)
            {
                if (_changes[i] is { IsAccrue: true, State: ChangeState.Applied } accrual)
                {
                    verdicts.Add((accrual, WatchMatch.Resolve(_views, _changes, i, final)));
                }
            }

            return verdicts;
        }
    }

    /// <summary>
    /// Waits until every applied accrual is shown (or cannot be told), the stream broke, or
    /// <paramref name="bound"/> passed since the last accrual's answer; returns early, without
    /// throwing, when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task SettleAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task signal;
            long lastAnswer = 0;
            var pending = false;
            lock (_gate)
            {
                if (Broken is not null)
                {
                    return;
                }

                signal = _signal.Task;
                for (var i = 0; i < _changes.Count; i++)
                {
                    if (_changes[i] is { IsAccrue: true, State: ChangeState.Applied } accrual
                        && WatchMatch.Resolve(_views, _changes, i, final: false).Kind == WatchVerdictKind.Pending)
                    {
                        pending = true;
                        lastAnswer = Math.Max(lastAnswer, accrual.AnsweredAt);
                    }
                }
            }

            if (!pending)
            {
                return;
            }

            var left = bound - Stopwatch.GetElapsedTime(lastAnswer);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.WhenAny(signal, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
        }
    }

    private void Pulse()
    {
        var signal = _signal;
        _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.TrySetResult();
    }
}
