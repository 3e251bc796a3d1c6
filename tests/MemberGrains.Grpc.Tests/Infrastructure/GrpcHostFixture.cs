namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>The host the PointOfSale tests share, on the flat test program (1 point per CNY, 100 at enrolment) as version 1.</summary>
public sealed class GrpcHostFixture() : SiloHostFixture(defaultProgram: false, purpose: "grpc");

