namespace MemberGrains.Domain.Tests.Replay;

/// <summary>A purchase line as sent to the engine: the file's stock code, units and amount in pence.</summary>
internal sealed record PlannedLine(string StockCode, int Quantity, long AmountFen);
