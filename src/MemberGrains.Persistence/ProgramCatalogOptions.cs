namespace MemberGrains.Persistence;

/// <summary>Where the program comes from and how often a silo looks for a newer one.</summary>
public sealed class ProgramCatalogOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "MemberGrains:Program";

    /// <summary>Seconds between checks for a newly published version (by another silo); 0 turns polling off.</summary>
    public double RefreshSeconds { get; set; } = 2;

    /// <summary>Program document (inline JSON) to start a database without programs on; wins over <see cref="InitialDocumentPath"/>.</summary>
    public string? InitialDocument { get; set; }

    /// <summary>File holding the program document to start a database without programs on; neither set means the default program.</summary>
    public string? InitialDocumentPath { get; set; }
}
