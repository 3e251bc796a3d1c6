namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>A host of its own for the Admin tests, so the programs they publish change no other test's program; starts on the flat program.</summary>
public sealed class AdminHostFixture() : SiloHostFixture(defaultProgram: false, purpose: "grpcadmin");
