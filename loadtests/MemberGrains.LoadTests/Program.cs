using MemberGrains.LoadTests;
using MemberGrains.LoadTests.Hosting;

// `silo …`: the silo under test, started by the load test as its child process.
if (args.Length > 0 && args[0] == SiloMode.Verb)
{
    return await SiloMode.RunAsync(args[1..]);
}

return await LoadTestCommand.InvokeAsync(args);
