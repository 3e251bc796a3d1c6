using System.IO.Hashing;
using System.Text;
using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>
/// What Postgres holds of one member's parts (schema 0008: a <c>member_part</c> row per lot, hold,
/// purchase kept for refunds and answered request), so the next write sends only the parts that
/// changed. Owned by the member's activation: it is advanced when a write is made (writes of one
/// member commit in order) and thrown away with memory when a write fails (the next load reads it
/// afresh).
/// <para>
/// Holds are compared by a 128-bit hash of their stored JSON; purchases and lots first by object
/// and the figures their one kind of change moves (see <c>Stamp</c>), then by hash; answered requests never change
/// once stored (a request id reused after its retention is a new object), so they are compared by
/// reference and never serialised again.
/// </para>
/// </summary>
public sealed class MemberParts
{
    public const string Lot = "lot";
    public const string Hold = "hold";
    public const string Purchase = "purchase";
    public const string Request = "request";

    private static readonly HashSet<string> PartCollections = ["lots", "holds", "purchases", "requests"];

    private readonly Dictionary<PartKey, StoredHash> _hashes = [];
    private readonly Dictionary<string, (ProcessedRequest Request, DateTimeOffset? ForgetAt)> _requests = new(StringComparer.Ordinal);

    /// <summary>Parts of a member that has none in Postgres (not yet stored).</summary>
    public MemberParts()
    {
    }

    /// <summary>The number of parts Postgres holds, as far as this baseline knows.</summary>
    public int Count => _hashes.Count + _requests.Count;

    /// <summary>Whether a property of the member document (by its JSON name) is stored as parts, not in the core document.</summary>
    public static bool IsPartCollection(string jsonName) => PartCollections.Contains(jsonName);

    /// <summary>
    /// Puts the stored parts into <paramref name="state"/> (read from its core document, so with
    /// empty collections) in the order the domain keeps them, and returns their baseline.
    /// </summary>
    public static MemberParts Assemble(MemberState state, IEnumerable<StoredPart> parts)
    {
        var baseline = new MemberParts();
        var lots = new List<PointsLot>();
        var holds = new List<RedemptionHold>();
        var purchases = new List<(string Key, PurchaseRecord Purchase)>();
        var requests = new List<(string Key, ProcessedRequest Request)>();
        foreach (var part in parts)
        {
            var key = new PartKey(part.Kind, part.Key);
            // The baseline hashes what this code would write, not the text Postgres returns
            // (jsonb normalises spacing and key order), so an unchanged part is not written again.
            switch (part.Kind)
            {
                case Lot:
                    lots.Add(Read<PointsLot>(part, key, baseline));
                    break;
                case Hold:
                    holds.Add(Read<RedemptionHold>(part, key, baseline));
                    break;
                case Purchase:
                    purchases.Add((part.Key, Read<PurchaseRecord>(part, key, baseline)));
                    break;
                case Request:
                    var request = MemberStateJson.DeserializePart<ProcessedRequest>(part.Json);
                    requests.Add((part.Key, request));
                    baseline._requests[part.Key] = (request, part.ForgetAt);
                    break;
                default:
                    throw new InvalidDataException($"Member '{state.MemberId}' has a member_part of unknown kind '{part.Kind}'.");
            }
        }

        // Lots are spent earliest expiry first, ties in the order they were earned (MemberAccount.AddLot).
        state.Lots = [.. lots.OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id)];
        state.Holds = holds.OrderBy(h => h.CreatedAt).ThenBy(h => h.HoldId, StringComparer.Ordinal).ToDictionary(h => h.HoldId, StringComparer.Ordinal);
        state.Purchases = purchases.OrderBy(p => p.Purchase.At).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Purchase, StringComparer.Ordinal);
        state.Requests = requests.OrderBy(r => r.Request.Order).ToDictionary(r => r.Key, r => r.Request, StringComparer.Ordinal);
        return baseline;
    }

    /// <summary>
    /// The parts <paramref name="state"/> changed since this baseline (new or changed ones to
    /// write, gone ones to delete), and advances the baseline to it.
    /// <para>
    /// A part the member forgot because its time ran out (<see cref="AccountLimits.ForgetAt(ProcessedRequest)"/>
    /// and its overloads, at or before <paramref name="now"/>) is not deleted by the write: its row
    /// stays until the background pruner deletes it (<see cref="MemberSweepSession.PruneForgottenPartsAsync"/>),
    /// and a load never reads it again (<see cref="MemberStore.LoadAsync"/> skips rows past their
    /// <c>forget_at</c>). Parts gone for any other reason (a spent lot, a request beyond the count limit) are deleted.
    /// </para>
    /// </summary>
    public PartChanges Advance(MemberState state, AccountLimits limits, DateTimeOffset now)
    {
        var upserts = new List<StoredPart>();
        var known = _hashes.Count;
        var stillThere = 0;
        foreach (var lot in state.Lots)
        {
            stillThere += Compare(LotKey(lot), lot, null, upserts);
        }

        foreach (var (holdId, hold) in state.Holds)
        {
            stillThere += Compare(new PartKey(Hold, holdId), hold, limits.ForgetAt(hold), upserts);
        }

        foreach (var (purchaseId, purchase) in state.Purchases)
        {
            stillThere += Compare(new PartKey(Purchase, purchaseId), purchase, limits.ForgetAt(purchase), upserts);
        }

        var deletes = new List<PartKey>();
        if (stillThere != known)
        {
            // Some part the baseline knew is gone (rare: a lot spent, a hold or purchase forgotten).
            var present = state.Lots.Select(LotKey)
                .Concat(state.Holds.Keys.Select(id => new PartKey(Hold, id)))
                .Concat(state.Purchases.Keys.Select(id => new PartKey(Purchase, id)))
                .ToHashSet();
            foreach (var (gone, stored) in _hashes.Where(p => !present.Contains(p.Key)).ToList())
            {
                _hashes.Remove(gone);
                if (!(stored.ForgetAt <= now))
                {
                    deletes.Add(gone);
                }
            }
        }

        foreach (var (requestId, request) in state.Requests)
        {
            if (!_requests.TryGetValue(requestId, out var stored) || !ReferenceEquals(stored.Request, request))
            {
                var forgetAt = limits.ForgetAt(request);
                upserts.Add(new StoredPart(Request, requestId, MemberStateJson.SerializePart(request), forgetAt));
                _requests[requestId] = (request, forgetAt);
            }
        }

        if (_requests.Count != state.Requests.Count)
        {
            foreach (var (gone, stored) in _requests.Where(r => !state.Requests.ContainsKey(r.Key)).ToList())
            {
                _requests.Remove(gone);
                if (!(stored.ForgetAt <= now))
                {
                    deletes.Add(new PartKey(Request, gone));
                }
            }
        }

        return new PartChanges(upserts, deletes);
    }

    private static T Read<T>(StoredPart part, PartKey key, MemberParts baseline)
    {
        var value = MemberStateJson.DeserializePart<T>(part.Json);
        // A stamped part is known by its object and stamp: serialising it again only to hash it would
        // cost a load as much as the parsing did. If its object or stamp changes, it is written.
        var stamp = Stamp(value);
        var hash = stamp is null ? XxHash128.HashToUInt128(MemberStateJson.SerializePartUtf8(value)) : (UInt128?)null;
        baseline._hashes[key] = new StoredHash(hash, part.ForgetAt, value, stamp);
        return value;
    }

    // Parts that change in one known way are compared by object and that change's figures first, so
    // a member's year of purchases and lots is not serialised again on each change: a purchase kept
    // for refunds changes only when it is refunded (MemberAccount.Refund), which always raises its
    // RefundedFen; a lot only when points leave it (spent, clawed back, expired: Remaining falls).
    // Anything else, and any part whose object or figures differ, is compared by the hash of its JSON.
    private static (long, long)? Stamp<T>(T part) => part switch
    {
        PurchaseRecord purchase => (purchase.RefundedFen, purchase.PointsTakenBack),
        PointsLot lot => (lot.Remaining, lot.ExpiresAt.UtcTicks),
        _ => null,
    };

    private static PartKey LotKey(PointsLot lot) => new(Lot, lot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds <paramref name="part"/> to <paramref name="upserts"/> if it is new or changed; returns 1 if the baseline knew its key, else 0.</summary>
    private int Compare<T>(PartKey key, T part, DateTimeOffset? forgetAt, List<StoredPart> upserts)
    {
        var wasKnown = _hashes.TryGetValue(key, out var known);
        if (wasKnown && known.Stamp is { } stamp && ReferenceEquals(known.Source, part) && Stamp(part) == stamp)
        {
            return 1;
        }

        // Hashed as UTF-8 bytes; a string is made only for a part that is written.
        var json = MemberStateJson.SerializePartUtf8(part);
        var hash = XxHash128.HashToUInt128(json);
        var write = !wasKnown || known.Hash != hash;
        if (write)
        {
            upserts.Add(new StoredPart(key.Kind, key.Key, Encoding.UTF8.GetString(json), forgetAt));
        }

        // The forget time is what the row holds: a part not written keeps its stored one (none for
        // a row from before schema 0009, which the member then deletes itself when it forgets it).
        _hashes[key] = new StoredHash(hash, write ? forgetAt : known.ForgetAt, part, Stamp(part));
        return wasKnown ? 1 : 0;
    }
}

/// <summary>What the baseline knows of a stored part: its hash and forget time, and for parts compared by object and stamp (purchases, lots), both.</summary>
/// <remarks>The hash is null for a stamped part read from Postgres (not hashed at load): any change to it is then written.</remarks>
internal readonly record struct StoredHash(UInt128? Hash, DateTimeOffset? ForgetAt, object? Source, (long, long)? Stamp);

/// <summary>A part's identity within its member: kind (<see cref="MemberParts.Lot"/> …) and key (lot number, hold, purchase or request id).</summary>
public readonly record struct PartKey(string Kind, string Key);

/// <summary>
/// One <c>member_part</c> row: kind, key, its JSON and when the member forgets it (schema 0009;
/// null: not by time — a lot, an open hold, or a row written before 0009).
/// </summary>
public sealed record StoredPart(string Kind, string Key, string Json, DateTimeOffset? ForgetAt);

/// <summary>What one write does to a member's parts.</summary>
public sealed record PartChanges(IReadOnlyList<StoredPart> Upserts, IReadOnlyList<PartKey> Deletes)
{
    public static readonly PartChanges None = new([], []);

    /// <summary>Consecutive changes of one member as one: a later change of a part wins over an earlier one.</summary>
    public static PartChanges Combine(IEnumerable<PartChanges> changes)
    {
        var last = new Dictionary<PartKey, StoredPart?>();
        foreach (var change in changes)
        {
            foreach (var gone in change.Deletes)
            {
                last[gone] = null;
            }

            foreach (var part in change.Upserts)
            {
                last[new PartKey(part.Kind, part.Key)] = part;
            }
        }

        return new PartChanges(
            [.. last.Values.OfType<StoredPart>()],
            [.. last.Where(p => p.Value is null).Select(p => p.Key)]);
    }
}
