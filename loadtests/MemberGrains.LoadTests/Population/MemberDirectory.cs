using System.Globalization;

namespace MemberGrains.LoadTests.Population;

/// <summary>
/// The run's members by index: ids (a per-run prefix, never hex-only), birthdays spread over the
/// year, home stores over the chain, consents. Everything derives from (seed, index), so a member's
/// attributes are the same wherever they are asked for; ids are built once and reused by every call.
/// </summary>
internal sealed class MemberDirectory
{
    private readonly string[] _ids;
    private readonly int _seed;

    public MemberDirectory(string runTag, int count, int seed, int stores = Population.Stores.Count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        RunTag = runTag;
        Prefix = $"lt-{runTag}-";
        StoreCount = stores;
        _seed = seed;
        _ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            _ids[i] = string.Create(CultureInfo.InvariantCulture, $"{Prefix}m{i:D7}");
        }
    }

    public string RunTag { get; }

    /// <summary>Starts every member id and every request id of this run.</summary>
    public string Prefix { get; }

    public int Count => _ids.Length;

    public int StoreCount { get; }

    public string IdOf(int index) => _ids[index];

    /// <summary>The index of a member id of this run, or -1.</summary>
    public int IndexOf(string memberId) =>
        memberId.StartsWith(Prefix, StringComparison.Ordinal) && memberId.Length > Prefix.Length + 1
        && int.TryParse(memberId.AsSpan(Prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < Count ? i : -1;

    public string EnrollRequestId(int index) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}e{index}");

    /// <summary>A birthday between 1950 and 2005, any day of the year.</summary>
    public DateOnly BirthdayOf(int index)
    {
        var h = Hash(index);
        var year = 1950 + (int)(h % 56);
        var day = (int)((h >> 8) % 365);
        return new DateOnly(year, 1, 1).AddDays(day);
    }

    /// <summary>Store number 1..StoreCount the member usually shops at.</summary>
    public int HomeStoreOf(int index) => 1 + (int)((Hash(index) >> 20) % (ulong)StoreCount);

    public bool MarketingConsentOf(int index) => ((Hash(index) >> 40) % 10) < 6;

    public bool PersonalisationConsentOf(int index) => ((Hash(index) >> 44) % 10) < 5;

    private ulong Hash(int index)
    {
        // SplitMix64 of (seed, index): cheap, well mixed, no state.
        var z = ((ulong)(uint)_seed << 32) ^ (ulong)(uint)index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
