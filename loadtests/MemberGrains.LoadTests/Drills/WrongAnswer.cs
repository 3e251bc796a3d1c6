using Grpc.Core;

namespace MemberGrains.LoadTests.Drills;

/// <summary>A refusal of a request the caller's model said must succeed: which member and request, the status, the message, which silo answered on which attempt.</summary>
internal sealed record WrongAnswer(string Drill, string MemberId, string Operation, string RequestId, StatusCode Code, string Message, string Silo, int Attempt);
