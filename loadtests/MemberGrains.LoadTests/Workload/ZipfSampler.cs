namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// Picks members with Zipf-skewed popularity: the member of popularity rank k is chosen with
/// probability proportional to 1/k^s. Ranks are mapped to members through a random permutation, so
/// the hot members are spread over the id space instead of being the first ids. Sampling is a
/// binary search of a uniform number in the cumulative distribution (O(log n), no allocation);
/// thread-safe once built.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cdf;
    private readonly int[] _memberOfRank;

    public ZipfSampler(int members, double exponent, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        Exponent = exponent;
        _cdf = new double[members];
        double sum = 0;
        for (var rank = 0; rank < members; rank++)
        {
            sum += 1.0 / Math.Pow(rank + 1, exponent);
            _cdf[rank] = sum;
        }

        for (var rank = 0; rank < members; rank++)
        {
            _cdf[rank] /= sum;
        }

        _cdf[^1] = 1.0;
        _memberOfRank = new int[members];
        for (var i = 0; i < members; i++)
        {
            _memberOfRank[i] = i;
        }

        new Random(seed).Shuffle(_memberOfRank);
    }

    public int Count => _cdf.Length;

    public double Exponent { get; }

    /// <summary>Probability that one draw picks the member of popularity <paramref name="rank"/> (0 = hottest).</summary>
    public double ProbabilityOfRank(int rank) => rank == 0 ? _cdf[0] : _cdf[rank] - _cdf[rank - 1];

    /// <summary>The member index of popularity <paramref name="rank"/> (0 = hottest).</summary>
    public int MemberOfRank(int rank) => _memberOfRank[rank];

    /// <summary>A member index, drawn with Zipf popularity.</summary>
    public int Next(Random random) => _memberOfRank[RankOf(random.NextDouble())];

    /// <summary>The popularity rank a uniform number in [0, 1) falls on.</summary>
    public int RankOf(double uniform)
    {
        var index = Array.BinarySearch(_cdf, uniform);
        // Not found: the complement of the first element larger than uniform, which is the rank.
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, _cdf.Length - 1);
    }
}
