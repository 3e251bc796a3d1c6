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
/// Lots, holds and purchases are compared by a 128-bit hash of their stored JSON; answered requests
/// never change once stored (a request id reused after its retention is a new object), so they are
/// compared by reference and never serialised again.
/// </para>
/// </summary>
public sealed class MemberParts
{
    public const string Lot = "lot";
    public const string Hold = "hold";
    public const string Purchase = "purchase";
    public const string Request = "request";

    private static readonly HashSet<string> PartCollections = ["lots", "holds", "purchases", "requests"];

    private readonly Dictionary<PartKey, (UInt128 Hash, DateTimeOffset? ForgetAt)> _hashes = [];
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
        var seen = new HashSet<PartKey>();
        foreach (var lot in state.Lots)
        {
            Compare(new PartKey(Lot, lot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), lot, null, upserts, seen);
        }

        foreach (var (holdId, hold) in state.Holds)
        {
            Compare(new PartKey(Hold, holdId), hold, limits.ForgetAt(hold), upserts, seen);
        }

        foreach (var (purchaseId, purchase) in state.Purchases)
        {
            Compare(new PartKey(Purchase, purchaseId), purchase, limits.ForgetAt(purchase), upserts, seen);
        }

        var deletes = new List<PartKey>();
        if (seen.Count != _hashes.Count)
        {
            foreach (var (gone, stored) in _hashes.Where(p => !seen.Contains(p.Key)).ToList())
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
        baseline._hashes[key] = (XxHash128.HashToUInt128(MemberStateJson.SerializePartUtf8(value)), part.ForgetAt);
        return value;
    }

    private void Compare<T>(PartKey key, T part, DateTimeOffset? forgetAt, List<StoredPart> upserts, HashSet<PartKey> seen)
    {
        seen.Add(key);
        // Hashed as UTF-8 bytes; a string is made only for a part that is written.
        var json = MemberStateJson.SerializePartUtf8(part);
        var hash = XxHash128.HashToUInt128(json);
        if (!_hashes.TryGetValue(key, out var stored) || stored.Hash != hash)
        {
            upserts.Add(new StoredPart(key.Kind, key.Key, Encoding.UTF8.GetString(json), forgetAt));
            _hashes[key] = (hash, forgetAt);
        }
    }
}

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
