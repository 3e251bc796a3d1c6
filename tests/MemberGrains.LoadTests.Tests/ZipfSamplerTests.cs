using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Tests;

public sealed class ZipfSamplerTests
{
    private const int Members = 1_000;
    private const int Draws = 400_000;

    [Fact]
    public void Next_ExponentOne_RankFrequenciesFollowOneOverK()
    {
        var sampler = new ZipfSampler(Members, 1.0, seed: 7);
        var counts = Draw(sampler);
        var harmonic = Enumerable.Range(1, Members).Sum(k => 1.0 / k);

        // The hottest member gets 1/H(n) of the draws (≈ 13.4 % of 1,000), the k-th about 1/k of that.
        Assert.Equal(1 / harmonic, Share(counts, sampler, 0), 2);
        Assert.InRange(Share(counts, sampler, 0) / Share(counts, sampler, 1), 1.85, 2.15);
        Assert.InRange(Share(counts, sampler, 0) / Share(counts, sampler, 9), 9.0, 11.0);
        Assert.InRange(Share(counts, sampler, 0) / Share(counts, sampler, 99), 80, 125);
    }

    [Fact]
    public void Next_ExponentZero_Uniform()
    {
        var sampler = new ZipfSampler(Members, 0.0, seed: 7);
        var counts = Draw(sampler);

        Assert.All(counts, c => Assert.InRange(c, Draws / Members * 0.8, Draws / Members * 1.2));
    }

    [Fact]
    public void Next_HotMembers_SpreadOverTheIdSpace()
    {
        var sampler = new ZipfSampler(Members, 1.0, seed: 7);

        var hottest = Enumerable.Range(0, 10).Select(sampler.MemberOfRank).ToList();

        // A permutation: distinct members, and not simply the first ids.
        Assert.Equal(10, hottest.Distinct().Count());
        Assert.NotEqual(Enumerable.Range(0, 10), hottest);
        Assert.Equal(Members, Enumerable.Range(0, Members).Select(sampler.MemberOfRank).Distinct().Count());
    }

    [Fact]
    public void RankOf_Bounds_FirstAndLastRank()
    {
        var sampler = new ZipfSampler(Members, 1.2, seed: 1);

        Assert.Equal(0, sampler.RankOf(0));
        Assert.Equal(Members - 1, sampler.RankOf(0.999_999_999_999));
        Assert.Equal(1.0, Enumerable.Range(0, Members).Sum(sampler.ProbabilityOfRank), 9);
    }

    private static int[] Draw(ZipfSampler sampler)
    {
        var counts = new int[Members];
        var random = new Random(42);
        for (var i = 0; i < Draws; i++)
        {
            counts[sampler.Next(random)]++;
        }

        return counts;
    }

    private static double Share(int[] counts, ZipfSampler sampler, int rank) => counts[sampler.MemberOfRank(rank)] / (double)Draws;
}
