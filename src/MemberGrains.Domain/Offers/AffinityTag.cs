using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>A category the member buys often, with the program's tag for it ("Fresh-food regular").</summary>
public sealed record AffinityTag(string Category, LocalizedText Tag);
