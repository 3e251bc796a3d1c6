namespace MemberGrains.LoadTests.Measurement;

/// <summary>What the generator knows of a change it sent to a watched member.</summary>
internal enum ChangeState
{
    /// <summary>Sent, not answered yet.</summary>
    InFlight,

    /// <summary>Answered OK: applied, with the receipt's balance.</summary>
    Applied,

    /// <summary>Refused with a definite status: nothing changed.</summary>
    Refused,

    /// <summary>No definite answer (deadline, cancelled, connection lost): it may or may not have been applied, at any time.</summary>
    Unknown,
}
