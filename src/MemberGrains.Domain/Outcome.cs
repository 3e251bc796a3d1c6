namespace MemberGrains.Domain;

/// <summary>What an account operation answered, and whether it was a retry answered from memory.</summary>
/// <param name="Receipt">The answer.</param>
/// <param name="Replayed">True when the request id was seen before: nothing changed, nothing to persist.</param>
public readonly record struct Outcome(Receipt Receipt, bool Replayed);
