namespace MemberGrains.LoadTests.Hosting;

/// <summary>Starts the silo under test: as a child process (the program) or inside the current process (tests).</summary>
internal interface ISiloLauncher
{
    /// <summary>Starts a silo and returns once its gRPC health check answers SERVING.</summary>
    Task<IRunningSilo> StartAsync(SiloLaunch launch, CancellationToken cancellationToken);
}
