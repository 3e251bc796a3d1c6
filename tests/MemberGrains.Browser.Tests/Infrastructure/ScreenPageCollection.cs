namespace MemberGrains.Browser.Tests.Infrastructure;

/// <summary>The browser tests share one silo and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class ScreenPageCollection : ICollectionFixture<ScreenPageFixture>
{
    public const string Name = "Screen page";
}
