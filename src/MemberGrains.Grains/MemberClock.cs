namespace MemberGrains.Grains;

/// <summary>
/// The clock member rules run on. Separate from the <see cref="TimeProvider"/> Orleans itself uses,
/// so tests can move members through days without moving the runtime's timeouts.
/// </summary>
public sealed class MemberClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();
}
