using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>
/// A member as read from Postgres, with the version a later write must name and the baseline of
/// its stored parts (<see cref="MemberParts"/>) the next write is compared with.
/// </summary>
public sealed record StoredMember(MemberState State, long Version, MemberParts Parts);
