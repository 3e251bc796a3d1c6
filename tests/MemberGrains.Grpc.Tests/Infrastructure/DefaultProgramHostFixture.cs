namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>A host of its own on the shipped default program (src/MemberGrains.Domain/Rules/default-program.json) as version 1.</summary>
public sealed class DefaultProgramHostFixture() : SiloHostFixture(defaultProgram: true, purpose: "grpcdefault");
