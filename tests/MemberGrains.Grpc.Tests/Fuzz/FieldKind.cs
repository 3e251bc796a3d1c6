namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>What a request field holds, which decides the contract a hostile value is judged by.</summary>
internal enum FieldKind
{
    /// <summary>member_id: required, at most 64 characters.</summary>
    MemberId,

    /// <summary>request_id: required, at most 128 characters; every value sent is unique.</summary>
    RequestId,

    /// <summary>An id the till chooses (store_id, terminal_id, home_store_id, sku, reference, approved_by): sensible Unicode is accepted.</summary>
    TillId,

    /// <summary>category: optional; sensible Unicode and inner spaces are accepted.</summary>
    Category,

    /// <summary>published_by and note: free text.</summary>
    FreeText,

    /// <summary>hold_id: names a hold the server made; a well-formed unknown one is NOT_FOUND.</summary>
    HoldRef,

    /// <summary>original_request_id: names an earlier purchase; a well-formed unknown one is NOT_FOUND.</summary>
    PurchaseRef,

    /// <summary>kind: one of the program's activity kinds; anything else is INVALID_ARGUMENT.</summary>
    ActivityKind,

    /// <summary>birthday: empty or a real date written YYYY-MM-DD.</summary>
    Date,

    /// <summary>after: empty or a next_cursor that ReadEvents returned.</summary>
    Cursor,

    /// <summary>document_json: a program document.</summary>
    Document,

    /// <summary>scope of an API key: "pos", "screen" or "admin"; anything else is INVALID_ARGUMENT.</summary>
    KeyScope,

    /// <summary>key_id: 16 lower-case hex digits naming a key the server made; anything else is INVALID_ARGUMENT, a well-formed unknown one NOT_FOUND.</summary>
    KeyRef,

    /// <summary>An integer field.</summary>
    Number,

    /// <summary>A bool field.</summary>
    Flag,

    /// <summary>A bytes field (the Ping payload).</summary>
    Bytes,
}
