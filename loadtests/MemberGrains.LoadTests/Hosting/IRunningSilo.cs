namespace MemberGrains.LoadTests.Hosting;

/// <summary>A started silo; disposing stops it.</summary>
internal interface IRunningSilo : IAsyncDisposable
{
    /// <summary>Where its gRPC endpoint listens.</summary>
    Uri GrpcAddress { get; }

    /// <summary>How it runs, for the report ("child process 1234", "in the test process").</summary>
    string Description { get; }
}
