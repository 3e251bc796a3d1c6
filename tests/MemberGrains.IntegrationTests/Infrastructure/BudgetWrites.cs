using MemberGrains.Domain;
using MemberGrains.Persistence;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>Member writes carrying offer uses, built by hand as the member grain will once it applies offers.</summary>
public static class BudgetWrites
{
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    public static string OfferId() => $"offer-{Guid.NewGuid():N}";

    /// <summary>Enrols a new member with one use of <paramref name="offerId"/> taken with <paramref name="token"/>.</summary>
    public static MemberWrite EnrolWithUse(string memberId, string offerId, string? token, long amount = 1, string requestId = "r-1") =>
        Write(memberId, 0, [Use(offerId, token, amount, requestId)]);

    public static MemberWrite Write(string memberId, long expectedVersion, IReadOnlyList<OfferUseRow> uses) => new()
    {
        MemberId = memberId,
        ExpectedVersion = expectedVersion,
        NewVersion = expectedVersion + 1,
        Balance = 0,
        Tier = nameof(Tier.Regular),
        EnrolledAt = T0,
        UpdatedAt = T0,
        StateJson = "{}",
        Ledger = [],
        Events = [],
        DueAt = null,
        OfferUses = uses,
    };

    public static OfferUseRow Use(string offerId, string? token, long amount = 1, string requestId = "r-1", bool giveBack = false) => new()
    {
        OfferId = offerId,
        RequestId = requestId,
        LeaseId = OfferLeaseToken.Parse(token),
        Amount = amount,
        DiscountFen = 2_000 * amount,
        GiveBack = giveBack,
        OccurredAt = T0,
    };

    /// <summary>Rows in offer_use for the offer (uses and give-backs).</summary>
    public static Task<long> UseRowsAsync(this Db db, string offerId) =>
        db.ScalarAsync<long>("SELECT COUNT(*) FROM offer_use WHERE offer_id = @o", ("o", offerId));

    /// <summary>Units taken by the offer's uses, net of give-backs.</summary>
    public static Task<long> UsedUnitsAsync(this Db db, string offerId) =>
        db.ScalarAsync<long>("SELECT COALESCE(SUM(CASE WHEN give_back THEN -amount ELSE amount END), 0)::bigint FROM offer_use WHERE offer_id = @o", ("o", offerId));
}
