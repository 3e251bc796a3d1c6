namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>Tests on the default program share one host and run one after another (they move its member clock).</summary>
[CollectionDefinition(Name)]
public sealed class DefaultProgramCollection : ICollectionFixture<DefaultProgramHostFixture>
{
    public const string Name = "grpc-default-program";
}
