using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// One kind of arrival in the open-loop profile: when they come, what each starts (given its
/// intended start timestamp and its sequence number in the stream), and which recorder counts an
/// arrival dropped because too many sessions were in flight.
/// </summary>
internal sealed record ArrivalStream(string Name, IArrivals Arrivals, Func<long, int, Task> Session, OpRecorder DropsTo);
