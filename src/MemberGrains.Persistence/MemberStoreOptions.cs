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
}
