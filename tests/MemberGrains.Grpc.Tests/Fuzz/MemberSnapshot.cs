using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>A member as the API and Postgres tell it: GetMember (less as_of), the ledger's rows and sum, the member row, the events.</summary>
internal sealed record MemberSnapshot(Member View, long LedgerSum, long LedgerRows, (long Balance, long Version)? Row, int Events)
{
    public static async Task<MemberSnapshot> TakeAsync(PointOfSale.PointOfSaleClient pos, Db db, string memberId, CancellationToken ct)
    {
        // Read at once: the member is not changing while the test looks.
        var view = pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId, IncludeLotsAndHolds = true }, cancellationToken: ct).ResponseAsync;
        var sum = db.LedgerSumAsync(memberId);
        var rows = db.LedgerCountAsync(memberId);
        var row = db.MemberRowAsync(memberId);
        var events = db.EventsAsync(memberId);
        await Task.WhenAll(view, sum, rows, row, events);
        var member = await view;
        member.AsOf = null;
        return new MemberSnapshot(member, await sum, await rows, await row, (await events).Count);
    }

    /// <summary>What differs in <paramref name="after"/>, for the failure message.</summary>
    public string Difference(MemberSnapshot after)
    {
        var parts = new List<string>();
        void Compare<T>(string name, T before, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(before, now))
            {
                parts.Add($"{name} {before} → {now}");
            }
        }

        Compare("balance", View.Balance, after.View.Balance);
        Compare("held", View.Held, after.View.Held);
        Compare("available", View.Available, after.View.Available);
        Compare("debt", View.Debt, after.View.Debt);
        Compare("purchases", View.PurchaseCount, after.View.PurchaseCount);
        Compare("lifetime spend", View.LifetimeSpendFen, after.View.LifetimeSpendFen);
        Compare("holds", View.Holds.Count, after.View.Holds.Count);
        Compare("ledger sum", LedgerSum, after.LedgerSum);
        Compare("ledger rows", LedgerRows, after.LedgerRows);
        Compare("member row version", Row?.Version, after.Row?.Version);
        Compare("events", Events, after.Events);
        return parts.Count > 0 ? string.Join(", ", parts) : "the GetMember answer differs";
    }
}
