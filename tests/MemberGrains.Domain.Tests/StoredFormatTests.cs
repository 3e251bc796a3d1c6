using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;

namespace MemberGrains.Domain.Tests;

/// <summary>
/// The stored member state is a contract (issue 11, item 3): documents written before the JSON
/// names were pinned still read and write back to the same bytes, every stored property has its
/// name in an attribute, and a document the code can't fully read fails instead of losing data.
/// </summary>
public sealed class StoredFormatTests
{
    /// <summary>A whole state (format 1) as the code wrote it before the names were pinned.</summary>
    private static readonly string Fixture = File.ReadAllText(FixturePath("member-state-format1.json"));

    /// <summary>The four collections stored as member_part rows (MemberParts.IsPartCollection).</summary>
    private static readonly string[] PartCollections = ["lots", "holds", "purchases", "requests"];

    [Fact]
    public void Fixture_Format1_ReadsAndWritesBackByteIdentically()
    {
        var state = MemberStateJson.Deserialize(Fixture);

        Assert.Equal(Fixture, MemberStateJson.Serialize(state));
        Assert.Equal("m-1", state.MemberId);
        Assert.Equal(318_260, state.Balance);
        Assert.Equal(12, state.Lots.Count);
        Assert.Equal(Tier.Silver, state.Tier);
        var refunded = state.Purchases["p-1"];
        Assert.Equal((29_000, 5_000, 6_000, 24_000), (refunded.TotalFen, refunded.DiscountFen, refunded.RefundedFen, refunded.PaidFen));
        Assert.Equal(["new-member-first-order", "birthday-week-double-points"], refunded.Offers.Select(o => o.OfferId));
        Assert.Equal(OfferKind.PointsMultiplier, refunded.Offers[1].Kind);
        Assert.Equal(5_810, refunded.Receipt.Earning!.Points);
        Assert.Equal("C2-a461b4", state.Purchases["p-2"].Offers.Single(o => o.CouponId is not null).CouponId);
        Assert.Equal(
            [("C1-a461b4", CouponStatus.Open), ("C2-a461b4", CouponStatus.Used)],
            state.Wallet.Select(c => (c.CouponId, c.Status)));
        Assert.Equal((HoldStatus.Captured, "staff-7"), (state.Holds["H1-a461b4"].Status, state.Holds["H1-a461b4"].ApprovedBy));
        Assert.Equal(HoldStatus.Open, state.Holds["H2-a461b4"].Status);
        Assert.Equal(RedemptionDecision.Review, state.Requests["r-2"].Receipt.Decision);
        Assert.Equal(state.Balance, state.Requests["r-2"].Receipt.Balance);
        Assert.Equal(RiskCodes.DailyCapReached, Assert.Single(state.Flags).Code);
        Assert.Equal(639_000, Assert.Single(state.Months).NetFen);
        Assert.Equal(new DateOnly(2026, 3, 11), Assert.Single(state.Activities["check_in"].Earlier).Day);
        Assert.Equal((5, 600_000L), (state.Categories.Count, state.Categories["electronics"].SpendFen));
        Assert.Equal(3, state.OfferUses["birthday-week-double-points"].Total);
    }

    [Fact]
    public void Contract_IsFormat1_NamesAndEnumNumbersUnchanged()
    {
        var expected = File.ReadAllText(FixturePath("member-state-format1-contract.txt"));

        // A new property appends its name to the type's line; nothing is ever renamed, removed or renumbered.
        Assert.Equal(expected, DescribeContract());
    }

    [Fact]
    public void EveryStoredProperty_HasItsJsonNamePinned()
    {
        var types = ReachableTypes();
        Assert.Contains(typeof(ActivityDay), types);
        Assert.Contains(typeof(LocalizedText), types);
        Assert.Contains(typeof(OfferPeriodUses), types);
        Assert.Contains(typeof(OfferDecision), types);

        var problems = new List<string>();
        foreach (var type in types.Where(t => !t.IsEnum))
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // reading is case-insensitive
            foreach (var property in StoredProperties(type))
            {
                var where = $"{type.Name}.{property.Name}";
                var pinned = property.GetCustomAttribute<JsonPropertyNameAttribute>();
                if (pinned is null)
                {
                    if (property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                    {
                        problems.Add($"{where} has no [JsonPropertyName] (nor [JsonIgnore]): renaming it would drop stored data.");
                    }

                    continue;
                }

                if (names.TryGetValue(pinned.Name, out var other))
                {
                    problems.Add($"{where} and {other} are both stored as \"{pinned.Name}\".");
                }
                else
                {
                    names[pinned.Name] = where;
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Deserialize_UnknownProperty_FailsNamingIt()
    {
        var node = JsonNode.Parse(Fixture)!.AsObject();
        node["loyaltyStars"] = 5;

        var top = Assert.Throws<InvalidDataException>(() => MemberStateJson.Deserialize(node.ToJsonString()));
        Assert.Contains("'loyaltyStars'", top.Message, StringComparison.Ordinal);
        Assert.Contains("member.state", top.Message, StringComparison.Ordinal);

        node.Remove("loyaltyStars");
        node["purchases"]!["p-1"]!["offers"]![0]!["paidTwice"] = true;
        var nested = Assert.Throws<InvalidDataException>(() => MemberStateJson.Deserialize(node.ToJsonString()));
        Assert.Contains("'paidTwice'", nested.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PurchaseOffer), nested.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeserializePartAndCore_UnknownProperty_FailNamingIt()
    {
        var part = Assert.Throws<InvalidDataException>(() => MemberStateJson.DeserializePart<PointsLot>("""{"id":1,"points":5,"pointz":5}"""));
        Assert.Contains("'pointz'", part.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PointsLot), part.Message, StringComparison.Ordinal);

        var core = JsonNode.Parse(MemberStateJson.SerializeCore(MemberStateJson.Deserialize(Fixture)))!.AsObject();
        core["tierName"] = "silver";
        var unknown = Assert.Throws<InvalidDataException>(() => MemberStateJson.DeserializeCore(core.ToJsonString()));
        Assert.Contains("'tierName'", unknown.Message, StringComparison.Ordinal);

        // A core document never holds the parts' collections: reading one there would lose them.
        var whole = Assert.Throws<InvalidDataException>(() => MemberStateJson.DeserializeCore(Fixture));
        Assert.Contains("'lots'", whole.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_ComputedValues_AreSkippedNotRefused()
    {
        // "netFen" and "points" are written; "balance" and "paidFen" are not (paidFen was, briefly).
        // Derived values are recomputed, whatever a document says.
        var node = JsonNode.Parse(Fixture)!.AsObject();
        node["balance"] = 1;
        node["months"]![0]!["netFen"] = 2;
        node["purchases"]!["p-1"]!["paidFen"] = 3;
        node["purchases"]!["p-1"]!["receipt"]!["earning"]!["points"] = 4;

        var state = MemberStateJson.Deserialize(node.ToJsonString());

        Assert.Equal(318_260, state.Balance);
        Assert.Equal(639_000, state.Months[0].NetFen);
        Assert.Equal(24_000, state.Purchases["p-1"].PaidFen);
        Assert.Equal(5_810, state.Purchases["p-1"].Receipt.Earning!.Points);
        Assert.Equal(Fixture, MemberStateJson.Serialize(state));
    }

    [Fact]
    public void Deserialize_PropertyAddedLater_MissingFromOldDocument_ReadsAsDefault()
    {
        var node = JsonNode.Parse(Fixture)!.AsObject();
        node.Remove("wallet");
        node.Remove("categories");

        var state = MemberStateJson.Deserialize(node.ToJsonString());

        Assert.Empty(state.Wallet);
        Assert.Empty(state.Categories);
    }

    [Fact]
    public void CoreAndParts_RoundTrip_ToTheWholeDocument()
    {
        var state = MemberStateJson.Deserialize(Fixture);
        var whole = JsonNode.Parse(Fixture)!.AsObject();

        var coreJson = MemberStateJson.SerializeCore(state);
        var core = JsonNode.Parse(coreJson)!.AsObject();
        foreach (var name in PartCollections)
        {
            Assert.True(MemberParts.IsPartCollection(name), name);
            Assert.False(core.ContainsKey(name), name);
            whole.Remove(name);
        }

        Assert.True(JsonNode.DeepEquals(whole, core), coreJson); // everything else, as in the whole document

        var loaded = MemberStateJson.DeserializeCore(coreJson);
        Assert.Empty(loaded.Lots);
        Assert.Empty(loaded.Holds);
        Assert.Empty(loaded.Purchases);
        Assert.Empty(loaded.Requests);
        Assert.Equal(coreJson, MemberStateJson.SerializeCore(loaded));

        var original = JsonNode.Parse(Fixture)!;
        for (var i = 0; i < state.Lots.Count; i++)
        {
            var json = MemberStateJson.SerializePart(state.Lots[i]);
            Assert.True(JsonNode.DeepEquals(original["lots"]![i], JsonNode.Parse(json)), json);
            loaded.Lots.Add(RoundTrip(state.Lots[i]));
        }

        foreach (var (id, hold) in state.Holds)
        {
            Assert.True(JsonNode.DeepEquals(original["holds"]![id], JsonNode.Parse(MemberStateJson.SerializePart(hold))), id);
            loaded.Holds[id] = RoundTrip(hold);
        }

        foreach (var (id, purchase) in state.Purchases)
        {
            Assert.True(JsonNode.DeepEquals(original["purchases"]![id], JsonNode.Parse(MemberStateJson.SerializePart(purchase))), id);
            loaded.Purchases[id] = RoundTrip(purchase);
        }

        foreach (var (id, request) in state.Requests)
        {
            Assert.True(JsonNode.DeepEquals(original["requests"]![id], JsonNode.Parse(MemberStateJson.SerializePart(request))), id);
            loaded.Requests[id] = RoundTrip(request);
        }

        Assert.Equal(Fixture, MemberStateJson.Serialize(loaded));
    }

    /// <summary>A part written and read back; it must write the same bytes again.</summary>
    private static T RoundTrip<T>(T part)
    {
        var json = MemberStateJson.SerializePart(part);
        var back = MemberStateJson.DeserializePart<T>(json);
        Assert.Equal(json, MemberStateJson.SerializePart(back));
        return back;
    }

    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The public instance properties System.Text.Json looks at (a public getter, not an indexer).</summary>
    private static IEnumerable<PropertyInfo> StoredProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);

    /// <summary>MemberState and every type of this domain it reaches through properties, collections and dictionaries.</summary>
    private static HashSet<Type> ReachableTypes()
    {
        var found = new HashSet<Type>();
        var queue = new Queue<Type>([typeof(MemberState)]);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                queue.Enqueue(underlying);
            }
            else if (type.IsArray)
            {
                queue.Enqueue(type.GetElementType()!);
            }
            else if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    queue.Enqueue(argument);
                }
            }
            else if (type.Assembly == typeof(MemberState).Assembly && found.Add(type) && !type.IsEnum)
            {
                foreach (var property in StoredProperties(type))
                {
                    queue.Enqueue(property.PropertyType);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The stored format as text: per object type its JSON names in order (marked when ignored, or
    /// written but not read), per enum its members' numbers; types by name.
    /// </summary>
    private static string DescribeContract()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in ReachableTypes())
        {
            if (type.IsEnum)
            {
                lines[type.Name] = $"enum {type.Name}: " + string.Join(' ', Enum.GetNames(type).Select(n => $"{n}={Convert.ToInt64(Enum.Parse(type, n), System.Globalization.CultureInfo.InvariantCulture)}"));
                continue;
            }

            var info = options.GetTypeInfo(type);
            Assert.Equal(JsonTypeInfoKind.Object, info.Kind);
            var names = new StringBuilder();
            foreach (var property in info.Properties)
            {
                names.Append(names.Length == 0 ? string.Empty : " ").Append(property.Name);
                if (property.Get is null)
                {
                    names.Append("(ignored)");
                }
                else if (property.Set is null && property.AssociatedParameter is null)
                {
                    names.Append("(written, not read)");
                }
            }

            lines[type.Name] = $"object {type.Name}: {names}";
        }

        return string.Join('\n', lines.Values) + "\n";
    }
}
