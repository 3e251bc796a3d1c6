using MemberGrains.Persistence;
using MemberGrains.Silo;
using MemberGrains.Silo.Auth;

// `migrate` applies the schema to the configured database and exits; `keys create|list|revoke`
// manages API keys in it (the first admin key of an install); `health [URL]` asks a running silo
// whether it serves (exit code 0); anything else runs the silo.
if (args.Length > 0 && args[0] == "health")
{
    return await HealthProbe.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == KeysCommand.Verb)
{
    return await KeysCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "migrate")
{
    var configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args[1..])
        .Build();
    var connectionString = configuration.GetConnectionString("MemberGrains");
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        await Console.Error.WriteLineAsync("migrate needs a database: pass --ConnectionStrings:MemberGrains=\"Host=…;Username=…;Database=…\" or set ConnectionStrings__MemberGrains.");
        return 2;
    }

    using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
    var applied = await SchemaMigrator.ApplyAsync(connectionString, loggers.CreateLogger("migrate"));
    Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied: {string.Join(", ", applied)}");
    return 0;
}

return await SiloHost.RunAsync(args);
