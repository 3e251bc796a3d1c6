using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>A member as read from Postgres, with the version a later write must name.</summary>
public sealed record StoredMember(MemberState State, long Version);
