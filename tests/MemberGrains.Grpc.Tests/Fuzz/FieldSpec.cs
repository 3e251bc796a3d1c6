namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// A request field the fuzzer may change and the contract's bounds for it.
/// </summary>
/// <param name="Path">The proto field path; <c>lines[].sku</c> means the field of one of the lines.</param>
/// <param name="Kind">What the field holds.</param>
/// <param name="Required">Whether an empty value must be refused.</param>
/// <param name="MaxLength">The longest text the contract allows.</param>
/// <param name="Min">Numbers below it must be refused.</param>
/// <param name="Max">Numbers above it must be refused.</param>
/// <param name="RefusalFields">The fields an out-of-range number may be refused under (<c>[]</c> is the changed line).</param>
internal sealed record FieldSpec(
    string Path,
    FieldKind Kind,
    bool Required = false,
    int MaxLength = 0,
    long Min = long.MinValue,
    long Max = long.MaxValue,
    IReadOnlyList<string>? RefusalFields = null)
{
    /// <summary>Longest id (request, store, terminal, hold, sku, category, kind, reference, approver).</summary>
    public const int IdLength = 128;

    /// <summary>Longest member_id.</summary>
    public const int MemberIdLength = 64;

    /// <summary>Longest note.</summary>
    public const int NoteLength = 2000;

    public static FieldSpec Text(string path, FieldKind kind, bool required, int maxLength = IdLength) => new(path, kind, required, maxLength);

    public static FieldSpec Number(string path, long min, long max = long.MaxValue, params string[] refusalFields) =>
        new(path, FieldKind.Number, Min: min, Max: max, RefusalFields: refusalFields.Length == 0 ? [path] : refusalFields);

    public static FieldSpec Flag(string path) => new(path, FieldKind.Flag);

    public static FieldSpec Bytes(string path) => new(path, FieldKind.Bytes);
}
