namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>All gRPC tests share one host and run one after another (they move the shared member clock).</summary>
[CollectionDefinition(Name)]
public sealed class GrpcCollection : ICollectionFixture<GrpcHostFixture>
{
    public const string Name = "grpc";
}
