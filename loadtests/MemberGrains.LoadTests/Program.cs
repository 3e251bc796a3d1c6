using MemberGrains.LoadTests;
using MemberGrains.LoadTests.Hosting;

// `silo …`: the silo under test, started by the load test (or the drills) as its child process.
if (args.Length > 0 && args[0] == SiloMode.Verb)
{
    return await SiloMode.RunAsync(args[1..]);
}

// `drills …`: the failure drills against a three-silo cluster.
if (args.Length > 0 && args[0] == DrillsCommand.Verb)
{
    return await DrillsCommand.InvokeAsync(args[1..]);
}

return await LoadTestCommand.InvokeAsync(args);
