using MemberGrains.Grpc.Tests.Infrastructure;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// The fuzz tests share one host of their own (the Admin tests' kind: flat program, its own
/// database) and run one after another. They publish programs, which would move the program
/// version the PointOfSale tests on the shared host expect, and they send bytes that must not be
/// able to take another collection's host down with them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<AdminHostFixture>
{
    public const string Name = "grpc-fuzz";
}
