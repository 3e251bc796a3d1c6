using MemberGrains.Persistence;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// The real member store with a gate in front: while held, commits queue here (in order) instead
/// of reaching Postgres, so a test can see what the grain does while its commits are in flight.
/// On release they go on to the real store in the order they came, except those the test marked
/// to fail, which fail as a lost connection would, without reaching Postgres.
/// </summary>
public sealed class GatedMemberStore(IMemberStore inner) : IMemberStore
{
    private readonly Lock _lock = new();
    private readonly List<(MemberWrite Write, TaskCompletionSource Done)> _held = [];
    private readonly HashSet<int> _failing = [];
    private bool _holding;

    /// <summary>Writes waiting at the gate.</summary>
    public IReadOnlyList<MemberWrite> Held
    {
        get
        {
            lock (_lock)
            {
                return [.. _held.Select(h => h.Write)];
            }
        }
    }

    public Task<StoredMember?> LoadAsync(string memberId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(memberId, now, cancellationToken);

    public Task<long?> ReadVersionAsync(string memberId, CancellationToken cancellationToken = default) =>
        inner.ReadVersionAsync(memberId, cancellationToken);

    public Task CommitAsync(MemberWrite write, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_holding)
            {
                return inner.CommitAsync(write, cancellationToken);
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Add((write, done));
            return done.Task;
        }
    }

    public void Hold()
    {
        lock (_lock)
        {
            _holding = true;
        }
    }

    /// <summary>The held write at <paramref name="index"/> (0 = first held) fails on release.</summary>
    public void FailOnRelease(int index)
    {
        lock (_lock)
        {
            _failing.Add(index);
        }
    }

    /// <summary>Waits until <paramref name="count"/> writes are held (the grain applied them all while none was committed).</summary>
    public async Task WaitForHeldAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Held.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Held.Count} of {count} writes reached the store within {timeout}.");
            }

            await Task.Delay(10);
        }
    }

    public void Release()
    {
        List<(MemberWrite Write, TaskCompletionSource Done)> held;
        HashSet<int> failing;
        lock (_lock)
        {
            _holding = false;
            held = [.. _held];
            failing = [.. _failing];
            _held.Clear();
            _failing.Clear();
        }

        // Handed on synchronously, in order: the real store keeps a member's writes in that order.
        for (var i = 0; i < held.Count; i++)
        {
            var (write, done) = held[i];
            var commit = failing.Contains(i)
                ? Task.FromException(new InvalidOperationException($"Injected commit failure for member '{write.MemberId}'."))
                : inner.CommitAsync(write);
            _ = commit.ContinueWith(
                t =>
                {
                    if (t.Exception is { } e)
                    {
                        done.TrySetException(e.InnerExceptions);
                    }
                    else
                    {
                        done.TrySetResult();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }
}
