namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>A host of its own for the API key tests, so the keys they create and revoke are no other test's.</summary>
public sealed class KeysHostFixture() : SiloHostFixture(defaultProgram: false, purpose: "grpckeys");
