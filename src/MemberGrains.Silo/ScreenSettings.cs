namespace MemberGrains.Silo;

/// <summary>Store screens' live feeds (<c>MemberGrains:Screens</c>).</summary>
public sealed class ScreenSettings
{
    /// <summary>Seconds between heartbeats on a quiet feed (they keep proxies from closing it and let a screen see the stream is alive).</summary>
    public double HeartbeatSeconds { get; set; } = 15;
}
