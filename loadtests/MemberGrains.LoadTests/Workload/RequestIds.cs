using System.Globalization;

namespace MemberGrains.LoadTests.Workload;

/// <summary>Request ids of the run: the run's prefix, a letter for the operation, a sequence number. Unique, never reused.</summary>
internal sealed class RequestIds(string prefix)
{
    private long _next;

    public string Prefix { get; } = prefix;

    /// <summary>A new id: <c>{prefix}{letter}{n}</c>, e.g. lt-k3q9-a12345 for an accrual.</summary>
    public string Next(char operation) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{operation}{Interlocked.Increment(ref _next)}");

    public static char Letter(MutationKind kind) => kind switch
    {
        MutationKind.Accrue => 'a',
        MutationKind.Reserve => 'r',
        MutationKind.Capture => 'c',
        MutationKind.Release => 'l',
        MutationKind.Refund => 'f',
        MutationKind.Activity => 'v',
        _ => 'x',
    };

    public string Next(MutationKind kind) => Next(Letter(kind));
}
