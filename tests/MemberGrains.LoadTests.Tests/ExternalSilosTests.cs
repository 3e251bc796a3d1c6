namespace MemberGrains.LoadTests.Tests;

/// <summary><c>--silo-address</c>: what it accepts, what it must come with, and what it changes in a run.</summary>
public sealed class ExternalSilosTests
{
    [Fact]
    public void Parse_CommaSeparatedAndRepeated_AllAddressesInOrder()
    {
        var addresses = ExternalSilos.Parse(["http://silo1:5080, http://silo2:5080", "http://127.0.0.1:5083/"]);

        Assert.Equal([new Uri("http://silo1:5080"), new Uri("http://silo2:5080"), new Uri("http://127.0.0.1:5083")], addresses);
    }

    [Fact]
    public void Parse_NotGiven_NoAddresses()
    {
        Assert.Empty(ExternalSilos.Parse([]));
    }

    [Theory]
    [InlineData("silo1:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("ftp://silo1:5080")]
    [InlineData("http://silo1:5080/grpc")]
    [InlineData("/relative")]
    public void Parse_NotASiloUrl_RefusedNamingIt(string value)
    {
        var e = Assert.Throws<FormatException>(() => ExternalSilos.Parse([value]));

        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5080", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameSiloTwice_Refused()
    {
        var e = Assert.Throws<FormatException>(() => ExternalSilos.Parse(["http://silo1:5080,http://silo1:5080/"]));

        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    public void Parse_OptionWithoutAddress_Refused(string value)
    {
        Assert.Throws<FormatException>(() => ExternalSilos.Parse([value]));
    }

    private const string Key = "mgk_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Problem_AddressesWithoutConnectionString_AsksForIt()
    {
        var problem = ExternalSilos.Problem([new Uri("http://silo1:5080")], connectionString: null, siloConfig: [], key: Key);

        Assert.NotNull(problem);
        Assert.Contains("--connection-string", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_AddressesWithSiloConfig_Refused()
    {
        var problem = ExternalSilos.Problem([new Uri("http://silo1:5080")], "Host=db", ["MemberGrains:Store:Writers=4"], Key);

        Assert.NotNull(problem);
        Assert.Contains("--silo-config", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_AddressesWithConnectionStringAndKey_None()
    {
        Assert.Null(ExternalSilos.Problem([new Uri("http://silo1:5080")], "Host=db", [], Key));
        Assert.Null(ExternalSilos.Problem([], null, ["MemberGrains:Store:Writers=4"], key: null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Problem_AddressesWithoutKey_AsksForKeyOrTheVariable(string? key)
    {
        var problem = ExternalSilos.Problem([new Uri("http://silo1:5080")], "Host=db", [], key);

        Assert.NotNull(problem);
        Assert.Contains("--key", problem, StringComparison.Ordinal);
        Assert.Contains(ExternalSilos.KeyVariable, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_SiloAddressWithoutConnectionString_UsageErrorBeforeAnythingStarts()
    {
        var code = await LoadTestCommand.InvokeAsync(["--silo-address", "http://127.0.0.1:5080", "--members", "10"]);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task InvokeAsync_MalformedSiloAddress_UsageError()
    {
        var code = await LoadTestCommand.InvokeAsync(["--silo-address", "silo1:5080", "--connection-string", "Host=db"]);

        Assert.Equal(2, code);
    }

    [Fact]
    public void Adjust_RunningSilosWithoutPgBench_SkipsTheBaselineWithANote()
    {
        var options = new RunOptions { SiloAddresses = [new Uri("http://silo1:5080")], ConnectionString = "Host=db" };

        var adjusted = ExternalSilos.Adjust(options, pgBenchAvailable: false);

        Assert.False(adjusted.Runs(PhaseNames.PgBench));
        Assert.Equal(ExternalSilos.PgBenchNote, adjusted.SkipNotes[PhaseNames.PgBench]);
        Assert.True(adjusted.Runs(PhaseNames.Activate));
        Assert.True(adjusted.Runs(PhaseNames.Cold));
    }

    [Fact]
    public void Adjust_ChildSiloOrPgBenchPresent_Unchanged()
    {
        var child = new RunOptions();
        var withPgBench = new RunOptions { SiloAddresses = [new Uri("http://silo1:5080")], ConnectionString = "Host=db" };

        Assert.Same(child, ExternalSilos.Adjust(child, pgBenchAvailable: false));
        Assert.Same(withPgBench, ExternalSilos.Adjust(withPgBench, pgBenchAvailable: true));
    }

    [Fact]
    public void Launcher_WithAddresses_RunningSilosOtherwiseAChild()
    {
        Assert.IsType<Hosting.ExternalSiloLauncher>(ExternalSilos.Launcher(new RunOptions { SiloAddresses = [new Uri("http://silo1:5080")] }));
        Assert.IsType<Hosting.ChildProcessSiloLauncher>(ExternalSilos.Launcher(new RunOptions()));
    }
}
