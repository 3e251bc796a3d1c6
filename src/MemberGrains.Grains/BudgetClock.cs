namespace MemberGrains.Grains;

/// <summary>
/// The clock campaign budgets run on: lease expiry, reclaiming, rechecks. Separate from the
/// <see cref="TimeProvider"/> Orleans itself uses, so tests can let leases lapse without moving
/// the runtime's timeouts.
/// </summary>
public sealed class BudgetClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();
}
