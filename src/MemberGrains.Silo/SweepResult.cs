namespace MemberGrains.Silo;

/// <summary>What one sweep did.</summary>
/// <param name="Ran">False when another silo held the sweep lock, so this one did nothing.</param>
/// <param name="Due">Members found due.</param>
/// <param name="Changed">Members whose touch committed a change.</param>
/// <param name="Failed">Members whose touch failed (they stay due and are tried again next sweep).</param>
/// <param name="Pruned">Forgotten member parts deleted (<c>member_part</c> rows past their <c>forget_at</c>).</param>
public sealed record SweepResult(bool Ran, int Due, int Changed, int Failed, int Pruned)
{
    public static SweepResult Skipped { get; } = new(false, 0, 0, 0, 0);
}
