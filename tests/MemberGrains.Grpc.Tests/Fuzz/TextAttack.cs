namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>The kinds of hostile text put into a string field.</summary>
internal enum TextAttack
{
    /// <summary>The empty string.</summary>
    Empty,

    /// <summary>Only spaces (ASCII, no-break, ideographic).</summary>
    Blank,

    /// <summary>A C0 or C1 control character (NUL, BEL, CR LF, ESC, DEL, NEL …) inside the value.</summary>
    Control,

    /// <summary>A format character (U+202E right-to-left override, zero-width space, BOM …) inside the value.</summary>
    Format,

    /// <summary>Exactly the longest value the contract allows, in letters and digits.</summary>
    AtLimit,

    /// <summary>A little longer than the contract allows (ASCII or Chinese).</summary>
    OverLimit,

    /// <summary>10 KB or 1 MB.</summary>
    Huge,

    /// <summary>Sensible Unicode: Chinese, accented Latin (also decomposed), Korean, Cyrillic.</summary>
    Sensible,

    /// <summary>Unicode the contract says nothing definite about: emoji, right-to-left scripts, stacked combining marks, private use.</summary>
    Exotic,
}
