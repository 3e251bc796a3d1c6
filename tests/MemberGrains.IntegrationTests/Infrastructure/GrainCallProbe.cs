namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>A call seen by <see cref="GrainCallProbe"/>.</summary>
/// <param name="GrainKey">The key of the grain called.</param>
/// <param name="Method">The interface method called.</param>
/// <param name="Finished">Completes when the grain has finished the call (before its answer travels to the caller).</param>
public sealed record ProbedCall(string GrainKey, string Method, Task Finished);

/// <summary>
/// A silo's incoming call filter that tells a test when a call has reached its grain and run its
/// first turn: the grain method runs synchronously up to its first wait that does not complete at
/// once, and only then is the call recorded. So once a test has seen a call here, the grain has
/// already done everything that call does before waiting (applied a change, handed a write to the
/// store, or started waiting for something), and a call the test sends afterwards is dispatched
/// after that turn. This orders calls to a reentrant grain without waiting a fixed time.
/// </summary>
public sealed class GrainCallProbe : IIncomingGrainCallFilter
{
    private readonly Lock _lock = new();
    private readonly List<ProbedCall> _calls = [];
    private readonly List<Waiter> _waiters = [];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        // Runs the grain method in this turn up to its first wait that does not complete at once.
        var invocation = context.Invoke();
        Record(new ProbedCall(context.TargetId.Key.ToString() ?? string.Empty, context.InterfaceMethod?.Name ?? context.MethodName, invocation));
        await invocation;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> calls of <paramref name="method"/> reached the grain
    /// <paramref name="grainKey"/> and ran their first turn; returns them in the order the grain ran them.
    /// </summary>
    public async Task<IReadOnlyList<ProbedCall>> WaitForCallsAsync(string grainKey, string method, int count, TimeSpan timeout)
    {
        Waiter waiter;
        lock (_lock)
        {
            var seen = Matching(grainKey, method);
            if (seen.Count >= count)
            {
                return seen.Take(count).ToList();
            }

            waiter = new Waiter(grainKey, method, count, new TaskCompletionSource<IReadOnlyList<ProbedCall>>(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Found.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            int seen;
            lock (_lock)
            {
                _waiters.Remove(waiter);
                seen = Matching(grainKey, method).Count;
            }

            throw new TimeoutException($"Only {seen} of {count} calls of {method} reached grain '{grainKey}' within {timeout.TotalSeconds:0} s.");
        }
    }

    private void Record(ProbedCall call)
    {
        List<(Waiter Waiter, List<ProbedCall> Calls)> found = [];
        lock (_lock)
        {
            _calls.Add(call);
            foreach (var waiter in _waiters.ToList())
            {
                var seen = Matching(waiter.GrainKey, waiter.Method);
                if (seen.Count >= waiter.Count)
                {
                    _waiters.Remove(waiter);
                    found.Add((waiter, seen.Take(waiter.Count).ToList()));
                }
            }
        }

        foreach (var (waiter, calls) in found)
        {
            waiter.Found.TrySetResult(calls);
        }
    }

    private List<ProbedCall> Matching(string grainKey, string method) =>
        _calls.Where(c => c.GrainKey == grainKey && c.Method == method).ToList();

    private sealed record Waiter(string GrainKey, string Method, int Count, TaskCompletionSource<IReadOnlyList<ProbedCall>> Found);
}
