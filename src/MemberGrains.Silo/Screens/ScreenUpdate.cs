using MemberGrains.Abstractions;

namespace MemberGrains.Silo.Screens;

/// <summary>One item of a screen's feed: a fresh view, or a heartbeat naming the version last sent.</summary>
internal sealed record ScreenUpdate(ScreenViewInfo? View, long Version, DateTimeOffset At);
