namespace MemberGrains.Domain.Rules;

/// <summary>A coupon template's terms: a coupon issued from it is valid for <see cref="ValidDays"/> store-local days (the issue day is day 1).</summary>
public sealed record WalletTerms(int ValidDays);
