namespace MemberGrains.LoadTests.Hosting;

/// <summary>A started silo; disposing stops it.</summary>
internal interface IRunningSilo : IAsyncDisposable
{
    /// <summary>Where its gRPC endpoint listens.</summary>
    Uri GrpcAddress { get; }

    /// <summary>Every silo the run's calls are spread over (several with --silo-address).</summary>
    IReadOnlyList<Uri> GrpcAddresses => [GrpcAddress];

    /// <summary>How it runs, for the report ("child process 1234", "in the test process").</summary>
    string Description { get; }
}
