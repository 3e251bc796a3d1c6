using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;

namespace MemberGrains.LoadTests;

/// <summary>The command line (System.CommandLine): options → <see cref="RunOptions"/> → a run, its report and its result lines.</summary>
internal static class LoadTestCommand
{
    public const string RunCommandPrefix = "dotnet run -c Release --project loadtests/MemberGrains.LoadTests --";

    public static async Task<int> InvokeAsync(string[] args)
    {
        var defaults = new RunOptions();
        var members = new Option<int?>("--members") { Description = "Synthetic members enrolled before the run (default 1,000,000; --quick 100,000)." };
        var quick = new Option<bool>("--quick") { Description = "Every figure within about 3 minutes: 100,000 members, 1-minute profile, short phases." };
        var population = new Option<PopulationKind>("--population") { Description = "synthetic (generated members and baskets) or uci (the UCI Online Retail customers and invoices).", DefaultValueFactory = _ => PopulationKind.Synthetic };
        var uciPath = new Option<string?>("--uci-path") { Description = "UCI Online Retail file or folder (default: ../shared/data/online-retail/ from the repository root)." };
        var uciScale = new Option<int>("--uci-scale") { Description = "Members made of each UCI customer (each replays the customer's invoices).", DefaultValueFactory = _ => defaults.UciScale };
        var profileMinutes = new Option<double?>("--profile-minutes") { Description = "Length of the peak-day profile in minutes (default 10; --quick 1)." };
        var peakCheckouts = new Option<double>("--peak-checkouts") { Description = "Member checkouts per second at the peak (default: the 1,000-store chain).", DefaultValueFactory = _ => defaults.PeakCheckoutsPerSecond };
        var peakScreens = new Option<double>("--peak-screen-views") { Description = "Screen views (StoreScreen/GetMemberView) per second at the peak (default: the 1,000-store chain).", DefaultValueFactory = _ => defaults.PeakScreenViewsPerSecond };
        var watchers = new Option<int?>("--watchers") { Description = "Screens watching checkouts in the profile: WatchMember streams open at once at most (default 300; --quick 100; 0: none)." };
        var watchShare = new Option<double>("--watch-share") { Description = "Share of checkout sessions whose member a screen watches, from a second before the checkout until its accrual is shown.", DefaultValueFactory = _ => defaults.WatchShare };
        var zipf = new Option<double>("--zipf") { Description = "Zipf exponent of member popularity (0 = uniform).", DefaultValueFactory = _ => defaults.ZipfExponent };
        var connectionString = new Option<string?>("--connection-string") { Description = "Postgres to use (Npgsql syntax); default: a throwaway embedded server." };
        var report = new Option<string?>("--report") { Description = "Markdown report to (re)write between its generated markers, e.g. docs/benchmarks.md; the SVG chart goes next to it." };
        var siloConfig = new Option<string[]>("--silo-config") { Description = "Key=Value setting for the silo (repeatable), e.g. MemberGrains:Store:Writers=4.", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };
        var seed = new Option<int>("--seed") { Description = "Seed of the population (ids, birthdays, stores, popularity order).", DefaultValueFactory = _ => defaults.Seed };
        var skip = new Option<string[]>("--skip") { Description = $"Phases not to run (repeatable or comma-separated): {string.Join(", ", PhaseNames.All.Where(p => p != PhaseNames.Population))}.", DefaultValueFactory = _ => [] };
        var connections = new Option<int>("--connections") { Description = "HTTP/2 connections the client spreads its calls over.", DefaultValueFactory = _ => defaults.Connections };
        var siloAddress = new Option<string[]>(ExternalSilos.OptionName) { Description = "Drive running silos instead of starting one: gRPC URLs, comma-separated or repeated (e.g. http://127.0.0.1:5081,http://127.0.0.1:5082); needs --connection-string (their database) and --key.", DefaultValueFactory = _ => [] };
        var key = new Option<string?>("--key") { Description = $"API key of scope admin for the silos given by {ExternalSilos.OptionName} (default: ${ExternalSilos.KeyVariable}). A run that starts its own silo creates its keys in its database." };

        var root = new RootCommand("MemberGrains peak-day load generator: starts Postgres and a silo, drives the gRPC API, verifies the ledger, writes the benchmark report.")
        {
            members, quick, population, uciPath, uciScale, profileMinutes, peakCheckouts, peakScreens, watchers, watchShare, zipf, connectionString, report, siloConfig, seed, skip, connections,
            siloAddress, key,
        };
        root.SetAction(async (parse, _) =>
        {
            var options = defaults;
            if (parse.GetValue(quick))
            {
                options = options.AsQuick();
            }

            var skipped = parse.GetValue(skip)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var unknown = skipped.Where(s => !PhaseNames.All.Contains(s, StringComparer.OrdinalIgnoreCase) || s == PhaseNames.Population).ToList();
            if (unknown.Count > 0)
            {
                await Console.Error.WriteLineAsync($"--skip: unknown phase(s) {string.Join(", ", unknown)}; known: {string.Join(", ", PhaseNames.All.Where(p => p != PhaseNames.Population))}.");
                return 2;
            }

            foreach (var pair in parse.GetValue(siloConfig)!)
            {
                try
                {
                    SiloSettingsArguments.Parse(pair);
                }
                catch (ArgumentException e)
                {
                    await Console.Error.WriteLineAsync(e.Message);
                    return 2;
                }
            }

            IReadOnlyList<Uri> silos;
            try
            {
                silos = ExternalSilos.Parse(parse.GetValue(siloAddress)!);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            var apiKey = parse.GetValue(key) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(ExternalSilos.KeyVariable);
            if (ExternalSilos.Problem(silos, parse.GetValue(connectionString), parse.GetValue(siloConfig)!, apiKey) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }

            options = options with
            {
                SiloAddresses = silos,
                Key = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim(),
                Members = parse.GetValue(members) ?? (options.Quick ? 100_000 : defaults.Members),
                Population = parse.GetValue(population),
                UciPath = parse.GetValue(uciPath),
                UciScale = Math.Max(1, parse.GetValue(uciScale)),
                ProfileDuration = TimeSpan.FromMinutes(parse.GetValue(profileMinutes) ?? (options.Quick ? 1 : defaults.ProfileDuration.TotalMinutes)),
                PeakCheckoutsPerSecond = parse.GetValue(peakCheckouts),
                PeakScreenViewsPerSecond = parse.GetValue(peakScreens),
                Watchers = Math.Max(0, parse.GetValue(watchers) ?? options.Watchers),
                WatchShare = Math.Clamp(parse.GetValue(watchShare), 0, 1),
                ZipfExponent = parse.GetValue(zipf),
                ConnectionString = parse.GetValue(connectionString),
                ReportPath = parse.GetValue(report),
                SiloConfig = parse.GetValue(siloConfig)!,
                Seed = parse.GetValue(seed),
                Skip = skipped,
                Connections = Math.Max(1, parse.GetValue(connections)),
                CommandLine = $"{RunCommandPrefix} {string.Join(' ', HideKey(args).Select(Quote))}".TrimEnd(),
            };
            return await RunAsync(options);
        });

        // Ctrl+C and SIGTERM are ours to handle: the run must stop the silo and Postgres before exiting.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Runs with the child-process silo (or the running ones given); prints the summary and result lines; writes the report if asked.</summary>
    public static async Task<int> RunAsync(RunOptions options)
    {
        using var stop = new CancellationTokenSource();
        // SIGINT (Ctrl+C), SIGQUIT and SIGTERM stop the run cleanly: the silo and the embedded Postgres are stopped first.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"Received {context.Signal}: stopping the run.");
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var progress = ConsoleProgress.Create();
        options = ExternalSilos.Adjust(options, ExternalSilos.PgBenchAvailable());
        var run = new LoadTestRun(options, ExternalSilos.Launcher(options), progress, TimeProvider.System);
        var started = TimeProvider.System.GetUtcNow();
        // The code measured is what is checked out now: the report's own files, written at the end, don't make it "dirty".
        run.Facts["commit"] = MachineInfo.GitCommit(RepositoryRoot.Find() ?? Environment.CurrentDirectory);
        try
        {
            await run.RunAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            run.Results.Failures.Add("cancelled (Ctrl+C or SIGTERM)");
        }
        catch (Exception e)
        {
            run.Results.Failures.Add($"setup: {e.GetType().Name}: {e.Message}");
            progress.Line(e.ToString());
        }

        if (options.ReportPath is { } path && !stop.IsCancellationRequested)
        {
            try
            {
                var written = await ReportWriter.WriteAsync(path, options, run, started, CancellationToken.None);
                progress.Line($"Report written: {string.Join(", ", written)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                run.Results.Failures.Add($"report: {e.Message}");
            }
        }

        return Finish(progress, run.Results);
    }

    /// <summary>The summary table, the failures, then — the very last lines — one <c>result name value</c> per figure; the exit code.</summary>
    public static int Finish(ConsoleProgress progress, RunResults results)
    {
        progress.Heading("Summary");
        progress.Console.Write(SummaryTable.Render(results));
        foreach (var failure in results.Failures)
        {
            progress.Line($"FAILED {failure}");
        }

        var failed = results.Failures.Count > 0
            || new[] { "lost", "duplicated", "unacked_in_ledger", "balance_mismatches" }.Any(n => results.Get(n) is { } value && value != 0);
        Console.Out.Flush();
        foreach (var line in results.ResultLines())
        {
            Console.WriteLine(line);
        }

        return failed ? 1 : 0;
    }

    /// <summary>The command line goes into the report: the value of --key does not.</summary>
    private static IEnumerable<string> HideKey(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--key=", StringComparison.Ordinal))
            {
                yield return "--key=***";
            }
            else if (args[i] == "--key" && i + 1 < args.Length)
            {
                yield return args[i];
                yield return "***";
                i++;
            }
            else
            {
                yield return args[i];
            }
        }
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
