namespace MemberGrains.Domain;

/// <summary>Enrol a new member.</summary>
public sealed record EnrollCommand(
    string MemberId,
    string RequestId,
    DateOnly? Birthday,
    string? HomeStoreId,
    bool MarketingConsent,
    bool PersonalisationConsent);

/// <summary>One line of a purchase.</summary>
public sealed record PurchaseLine(string Sku, string Category, int Quantity, long AmountFen);

/// <summary>A completed purchase to earn points on.</summary>
public sealed record AccrueCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    long TotalFen,
    IReadOnlyList<PurchaseLine> Lines);

/// <summary>Set points aside at a till; <paramref name="HoldFor"/> null means the program default.</summary>
public sealed record ReserveCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    long Points,
    TimeSpan? HoldFor);

/// <summary>Spend a hold's points; <paramref name="Points"/> 0 means all of them, fewer releases the rest.</summary>
public sealed record CaptureCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string HoldId,
    long Points);

/// <summary>Give a hold's points back.</summary>
public sealed record ReleaseCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string HoldId);

/// <summary>Refund (part of) an earlier purchase; <paramref name="AmountFen"/> 0 means everything not yet refunded.</summary>
public sealed record RefundCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string OriginalRequestId,
    long AmountFen);
