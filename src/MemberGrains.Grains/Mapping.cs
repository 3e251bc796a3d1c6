using MemberGrains.Abstractions;
using MemberGrains.Domain;

namespace MemberGrains.Grains;

/// <summary>Grain DTOs ↔ domain types.</summary>
internal static class Mapping
{
    public static EnrollCommand ToCommand(this EnrollRequest r, string memberId) =>
        new(memberId, r.RequestId, r.Birthday, r.HomeStoreId, r.MarketingConsent, r.PersonalisationConsent);

    public static AccrueCommand ToCommand(this AccrueRequest r) =>
        new(r.RequestId, r.StoreId, r.TerminalId, r.TotalFen, [.. r.Lines.Select(l => new PurchaseLine(l.Sku, l.Category, l.Quantity, l.AmountFen))]);

    public static ReserveCommand ToCommand(this ReserveRequest r) =>
        new(r.RequestId, r.StoreId, r.TerminalId, r.Points, r.HoldSeconds == 0 ? null : TimeSpan.FromSeconds(r.HoldSeconds));

    public static CaptureCommand ToCommand(this CaptureRequest r) => new(r.RequestId, r.StoreId, r.TerminalId, r.HoldId, r.Points);

    public static ReleaseCommand ToCommand(this ReleaseRequest r) => new(r.RequestId, r.StoreId, r.TerminalId, r.HoldId);

    public static RefundCommand ToCommand(this RefundRequest r) => new(r.RequestId, r.StoreId, r.TerminalId, r.OriginalRequestId, r.AmountFen);

    public static OperationReceipt ToDto(this Receipt r, bool replayed) => new()
    {
        RequestId = r.RequestId,
        Operation = (OperationType)r.Operation,
        Points = r.Points,
        Balance = r.Balance,
        Available = r.Available,
        HoldId = r.HoldId,
        HoldExpiresAt = r.HoldExpiresAt,
        ProgramVersion = r.ProgramVersion,
        At = r.At,
        Replayed = replayed,
    };

    public static MemberSnapshot ToDto(this MemberView v) => new()
    {
        MemberId = v.MemberId,
        EnrolledAt = v.EnrolledAt,
        Birthday = v.Birthday,
        HomeStoreId = v.HomeStoreId,
        MarketingConsent = v.MarketingConsent,
        PersonalisationConsent = v.PersonalisationConsent,
        Tier = (MemberTier)v.Tier,
        Balance = v.Balance,
        Held = v.Held,
        Available = v.Available,
        Debt = v.Debt,
        LifetimeSpendFen = v.LifetimeSpendFen,
        QualifyingSpendFen = v.QualifyingSpendFen,
        FirstPurchaseAt = v.FirstPurchaseAt,
        LastPurchaseAt = v.LastPurchaseAt,
        PurchaseCount = v.PurchaseCount,
        Lots = [.. v.Lots.Select(l => new LotInfo { EarnedAt = l.EarnedAt, ExpiresAt = l.ExpiresAt, Remaining = l.Remaining })],
        Holds = [.. v.Holds.Select(h => new HoldInfo { HoldId = h.HoldId, Points = h.Points, ExpiresAt = h.ExpiresAt, StoreId = h.StoreId, TerminalId = h.TerminalId })],
        ProgramVersion = v.ProgramVersion,
        AsOf = v.AsOf,
    };

    public static MemberOperationException ToRefusal(this DomainException e) =>
        new((RefusalKind)e.Kind, e.Field, e.Message);
}
