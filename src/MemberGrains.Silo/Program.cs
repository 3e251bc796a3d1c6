using MemberGrains.Persistence;
using MemberGrains.Silo;

// `migrate` applies the schema to the configured database and exits; anything else runs the silo.
if (args.Length > 0 && args[0] == "migrate")
{
    var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
    var connectionString = configuration.GetConnectionString("MemberGrains")
        ?? throw new InvalidOperationException("migrate needs ConnectionStrings:MemberGrains (e.g. ConnectionStrings__MemberGrains=...).");
    using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
    var applied = await SchemaMigrator.ApplyAsync(connectionString, loggers.CreateLogger("migrate"));
    Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied: {string.Join(", ", applied)}");
    return;
}

await using var silo = await SiloHost.CreateAsync(args);
await silo.StartAsync();
await silo.App.WaitForShutdownAsync();
