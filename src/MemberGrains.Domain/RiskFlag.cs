namespace MemberGrains.Domain;

/// <summary>A risk flag raised by an event (daily cap, velocity), kept until it lapses.</summary>
public sealed class RiskFlag
{
    /// <summary>One of <see cref="RiskCodes"/>.</summary>
    public string Code { get; set; } = string.Empty;

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>What raised it, for staff.</summary>
    public string Detail { get; set; } = string.Empty;
}
