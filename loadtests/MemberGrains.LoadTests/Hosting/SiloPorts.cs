namespace MemberGrains.LoadTests.Hosting;

/// <summary>The three loopback ports a silo listens on: gRPC (HTTP/2), silo-to-silo and the Orleans client gateway. A restarted silo keeps them.</summary>
internal sealed record SiloPorts(int Grpc, int Silo, int Gateway)
{
    /// <summary>Ports nobody listens on right now.</summary>
    public static SiloPorts Free() => Distinct(1)[0];

    /// <summary><paramref name="count"/> sets of free ports, no port used twice among them.</summary>
    public static IReadOnlyList<SiloPorts> Distinct(int count)
    {
        var taken = new HashSet<int>();
        int Next()
        {
            while (true)
            {
                var port = FreePort.Next();
                if (taken.Add(port))
                {
                    return port;
                }
            }
        }

        return [.. Enumerable.Range(0, count).Select(_ => new SiloPorts(Next(), Next(), Next()))];
    }
}
