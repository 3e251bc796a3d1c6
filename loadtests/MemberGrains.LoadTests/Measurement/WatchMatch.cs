namespace MemberGrains.LoadTests.Measurement;

/// <summary>
/// Which view of a WatchMember stream first shows an accrual. The receipt carries the balance after
/// the accrual but not the member's version, so the version is read from the stream:
/// <list type="bullet">
/// <item>V₀ is the highest version the stream had delivered when the Accrue was sent; the
/// accrual's version V is above it.</item>
/// <item>The stream's versions only grow, a view is never older than what was committed before it
/// was sent, and it may skip a version when the next change follows quickly. So the first view
/// with a version of at least V shows either the accrual's state (balance = receipt.balance) or
/// the state after a later change of the member (balance = that change's receipt.balance).</item>
/// <item>Shown: the first view with version &gt; V₀ whose balance is the accrual's, or that of a
/// change of the member sent after the accrual's OK answer arrived (those come after it in the
/// member's order).</item>
/// </list>
/// Views with a version between V₀ and V come from changes answered before the Accrue was sent, so
/// the rule is exact unless one of those left the member at a balance the rule accepts. The
/// accrual is <see cref="WatchVerdictKind.Uncertain"/> (left out of the figures) when that may be
/// so, or when the order of two changes is unknown:
/// <list type="bullet">
/// <item>another change was in flight at some moment between the Accrue's send and its answer, or
/// has an unknown outcome (applied, perhaps, at any time);</item>
/// <item>an earlier change answered with a balance the rule accepts, the accrual earned no points
/// (its state's balance is the previous one's), or no view had arrived when the Accrue was sent
/// while earlier changes were already made;</item>
/// <item>nothing shows it but a later change is still unanswered or has an unknown outcome (its
/// balance, which a view may show instead, is unknown).</item>
/// </list>
/// Only changes the generator sent while the watch was open are known here; a watch is opened only
/// on a member with no change in flight, so none is missing.
/// </summary>
internal static class WatchMatch
{
    /// <summary>
    /// The verdict for <c>changes[accrual]</c>, an applied Accrue, given every change of the member
    /// sent while the watch was open (in any order) and the views delivered so far, in stream order.
    /// <paramref name="final"/>: the watch is closed, so an accrual not shown is missed.
    /// </summary>
    public static WatchVerdict Resolve(IReadOnlyList<WatchedView> views, IReadOnlyList<WatchedChange> changes, int accrual, bool final)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(changes);
        var a = changes[accrual];
        if (!a.IsAccrue || a.State != ChangeState.Applied)
        {
            throw new ArgumentException("Only an applied Accrue is matched to the views.", nameof(accrual));
        }

        if (a.Points == 0)
        {
            return WatchVerdict.Uncertain;
        }

        // Balances that prove the accrual is shown: its own, and those of the changes after it.
        var accepted = new List<long>(2) { a.Balance };
        var earlier = new List<long>();
        var laterUnknown = false;
        for (var i = 0; i < changes.Count; i++)
        {
            var c = changes[i];
            if (i == accrual || c.State == ChangeState.Refused)
            {
                continue;
            }

            if (c.SentAt > a.AnsweredAt)
            {
                if (c.State == ChangeState.Applied)
                {
                    accepted.Add(c.Balance);
                }
                else
                {
                    laterUnknown = true;
                }
            }
            else if (c.State == ChangeState.Applied && c.AnsweredAt < a.SentAt)
            {
                earlier.Add(c.Balance);
            }
            else
            {
                // In flight while the Accrue was: the two may have been applied in either order.
                return WatchVerdict.Uncertain;
            }
        }

        if (earlier.Exists(accepted.Contains) || (a.VersionBefore == 0 && earlier.Count > 0))
        {
            return WatchVerdict.Uncertain;
        }

        foreach (var view in views)
        {
            if (view.Version > a.VersionBefore && accepted.Contains(view.Balance))
            {
                return new WatchVerdict(WatchVerdictKind.Shown, view.ArrivedAt);
            }
        }

        if (!final)
        {
            return WatchVerdict.Pending;
        }

        return laterUnknown ? WatchVerdict.Uncertain : WatchVerdict.Missed;
    }
}
