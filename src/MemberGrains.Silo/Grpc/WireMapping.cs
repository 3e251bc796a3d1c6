using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using MemberGrains.Abstractions;
using MemberGrains.Domain;
using V1 = MemberGrains.Protos.V1;

namespace MemberGrains.Silo.Grpc;

/// <summary>Protobuf messages ↔ grain DTOs. Field names in errors are the proto field names.</summary>
internal static class WireMapping
{
    public static string MemberId(string memberId)
    {
        Validate.MemberId("member_id", memberId);
        return memberId;
    }

    public static EnrollRequest ToDto(this V1.EnrollMemberRequest r) => new()
    {
        RequestId = r.RequestId,
        Birthday = ParseDate("birthday", r.Birthday),
        HomeStoreId = string.IsNullOrEmpty(r.HomeStoreId) ? null : r.HomeStoreId,
        MarketingConsent = r.MarketingConsent,
        PersonalisationConsent = r.PersonalisationConsent,
    };

    public static AccrueRequest ToDto(this V1.AccrueRequest r) => new()
    {
        RequestId = r.RequestId,
        StoreId = r.StoreId,
        TerminalId = r.TerminalId,
        TotalFen = r.TotalFen,
        Lines = [.. r.Lines.Select(l => new PurchaseLineItem { Sku = l.Sku, Category = l.Category, Quantity = l.Quantity, AmountFen = l.AmountFen })],
    };

    public static ReserveRequest ToDto(this V1.ReserveRedemptionRequest r)
    {
        if (r.HoldSeconds < 0)
        {
            throw DomainException.Invalid("hold_seconds", "hold_seconds must not be negative.");
        }

        return new() { RequestId = r.RequestId, StoreId = r.StoreId, TerminalId = r.TerminalId, Points = r.Points, HoldSeconds = r.HoldSeconds };
    }

    public static CaptureRequest ToDto(this V1.CaptureRedemptionRequest r) =>
        new() { RequestId = r.RequestId, StoreId = r.StoreId, TerminalId = r.TerminalId, HoldId = r.HoldId, Points = r.Points };

    public static ReleaseRequest ToDto(this V1.ReleaseRedemptionRequest r) =>
        new() { RequestId = r.RequestId, StoreId = r.StoreId, TerminalId = r.TerminalId, HoldId = r.HoldId };

    public static RefundRequest ToDto(this V1.RefundRequest r) =>
        new() { RequestId = r.RequestId, StoreId = r.StoreId, TerminalId = r.TerminalId, OriginalRequestId = r.OriginalRequestId, AmountFen = r.AmountFen };

    public static V1.Receipt ToWire(this OperationReceipt r) => new()
    {
        RequestId = r.RequestId,
        Points = r.Points,
        Balance = r.Balance,
        Available = r.Available,
        ProgramVersion = r.ProgramVersion,
        AppliedAt = Timestamp.FromDateTimeOffset(r.At),
        Replayed = r.Replayed,
    };

    public static V1.Member ToWire(this MemberSnapshot m)
    {
        var member = new V1.Member
        {
            MemberId = m.MemberId,
            EnrolledAt = Timestamp.FromDateTimeOffset(m.EnrolledAt),
            Birthday = m.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            HomeStoreId = m.HomeStoreId ?? string.Empty,
            MarketingConsent = m.MarketingConsent,
            PersonalisationConsent = m.PersonalisationConsent,
            Tier = (V1.Tier)((int)m.Tier + 1),
            Balance = m.Balance,
            Held = m.Held,
            Available = m.Available,
            Debt = m.Debt,
            LifetimeSpendFen = m.LifetimeSpendFen,
            QualifyingSpendFen = m.QualifyingSpendFen,
            FirstPurchaseAt = m.FirstPurchaseAt is { } first ? Timestamp.FromDateTimeOffset(first) : null,
            LastPurchaseAt = m.LastPurchaseAt is { } last ? Timestamp.FromDateTimeOffset(last) : null,
            PurchaseCount = m.PurchaseCount,
            ProgramVersion = m.ProgramVersion,
            AsOf = Timestamp.FromDateTimeOffset(m.AsOf),
        };
        member.Lots.AddRange(m.Lots.Select(l => new V1.PointsLot
        {
            EarnedAt = Timestamp.FromDateTimeOffset(l.EarnedAt),
            ExpiresAt = Timestamp.FromDateTimeOffset(l.ExpiresAt),
            Remaining = l.Remaining,
        }));
        member.Holds.AddRange(m.Holds.Select(h => new V1.RedemptionHold
        {
            HoldId = h.HoldId,
            Points = h.Points,
            ExpiresAt = Timestamp.FromDateTimeOffset(h.ExpiresAt),
            StoreId = h.StoreId,
            TerminalId = h.TerminalId,
        }));
        return member;
    }

    private static DateOnly? ParseDate(string field, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw DomainException.Invalid(field, $"{field} must be a date written YYYY-MM-DD.");
    }
}
