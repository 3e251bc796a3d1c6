namespace MemberGrains.Persistence;

/// <summary>Tuning of the member store's group commit.</summary>
public sealed class MemberStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "MemberGrains:Store";

    /// <summary>Most member writes committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Transactions in flight at once (each on its own connection).</summary>
    public int Writers { get; set; } = 2;

    /// <summary>
    /// When the connection breaks after a batch was sent, how long the store keeps trying to learn
    /// from PostgreSQL whether the batch was committed before it answers its callers "outcome
    /// unknown". The callers wait that long at most.
    /// </summary>
    public double ResolveSeconds { get; set; } = 5;
}
