namespace MemberGrains.Silo.Demo;

/// <summary>A member a development start seeds to try the store screen with.</summary>
/// <param name="MemberId">The member number to scan or type.</param>
/// <param name="Who">Who the member is, in a few words.</param>
/// <param name="Shows">What the store screen shows for the member.</param>
public sealed record DemoMember(string MemberId, string Who, string Shows);
