namespace MemberGrains.Persistence;

/// <summary>A key just created: its row, and its text (<c>mgk_…</c>), which is shown this once and stored nowhere.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string KeyText);
