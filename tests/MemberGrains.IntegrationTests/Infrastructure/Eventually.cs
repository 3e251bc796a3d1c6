namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for something that will happen (a background refresh, a sweep, events becoming visible):
/// polls a condition until it holds, and fails after a generous bound saying what it waited for,
/// instead of hanging. Never use it to show that something did not happen.
/// </summary>
public static class Eventually
{
    /// <summary>How long anything that will happen may take on a slow, shared machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; <paramref name="awaited"/> says what it means, for the failure message.</summary>
    public static Task UntilAsync(string awaited, Func<bool> condition, TimeSpan? patience = null) =>
        UntilAsync(awaited, () => Task.FromResult(condition()), patience);

    /// <summary>Polls <paramref name="condition"/> until it holds; <paramref name="awaited"/> says what it means, for the failure message.</summary>
    public static async Task UntilAsync(string awaited, Func<Task<bool>> condition, TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        var test = TestContext.Current.CancellationToken;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(test);
        deadline.CancelAfter(limit);
        try
        {
            while (!await condition().WaitAsync(deadline.Token))
            {
                // Only the spacing between polls: the caller asserts nothing after a wait, it
                // returns as soon as the condition holds, so the machine's speed changes how long
                // this takes, never what a test concludes.
                await Task.Delay(Every, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !test.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {awaited}; it did not happen.");
        }
    }
}
