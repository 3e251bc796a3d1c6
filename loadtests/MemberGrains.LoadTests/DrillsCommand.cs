using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using MemberGrains.LoadTests.Drills;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests;

/// <summary>
/// <c>MemberGrains.LoadTests drills …</c>: the failure drills (System.CommandLine) → <see cref="DrillOptions"/> →
/// a <see cref="DrillRun"/>, its report and its result lines.
/// </summary>
internal static class DrillsCommand
{
    public const string Verb = "drills";

    /// <summary>Figures that fail the run (exit code 1) when not zero.</summary>
    public static readonly string[] MustBeZero = ["lost", "duplicated", "wrong_answers", "internal_errors"];

    public static async Task<int> InvokeAsync(string[] args)
    {
        var defaults = new DrillOptions();
        var shortRun = new Option<bool>("--short") { Description = "Every drill once with 120 members: about 3.5 minutes on a 2-core machine." };
        var report = new Option<string?>("--report") { Description = "Markdown report to (re)write between its generated markers, e.g. docs/reliability.md." };
        var connectionString = new Option<string?>("--connection-string") { Description = "Postgres to use (Npgsql syntax); default: a throwaway embedded server. The postgres drill needs the throwaway one and is skipped otherwise." };
        var rounds = new Option<int?>("--rounds") { Description = "How many times each drill runs (default 3; --short 1)." };
        var members = new Option<int?>("--members") { Description = "Members enrolled and driven (default 300; --short 120)." };
        var callers = new Option<int>("--callers") { Description = "Retrying callers; each drives its own share of the members.", DefaultValueFactory = _ => defaults.Callers };
        var only = new Option<string[]>("--drill") { Description = $"Drills to run (repeatable or comma-separated), in the run's order: {string.Join(", ", DrillNames.All)}. Default: all.", DefaultValueFactory = _ => [] };
        var siloConfig = new Option<string[]>("--silo-config") { Description = "Key=Value setting for every silo (repeatable), e.g. MemberGrains:Membership:ProbeSeconds=2.", DefaultValueFactory = _ => [] };
        var seed = new Option<int>("--seed") { Description = "Seed of the callers' choices.", DefaultValueFactory = _ => defaults.Seed };

        var root = new RootCommand("MemberGrains failure drills: three silos on AdoNet clustering under retrying load; kill -9 a silo, SIGTERM one, stop Postgres; verify the ledger and balances after each; write docs/reliability.md.")
        {
            shortRun, report, connectionString, rounds, members, callers, only, siloConfig, seed,
        };
        root.SetAction(async (parse, _) =>
        {
            var options = parse.GetValue(shortRun) ? defaults.AsShort() : defaults;
            var drills = parse.GetValue(only)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var unknown = drills.Where(d => !DrillNames.All.Contains(d, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                await Console.Error.WriteLineAsync($"--drill: unknown drill(s) {string.Join(", ", unknown)}; known: {string.Join(", ", DrillNames.All)}.");
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

            options = options with
            {
                Rounds = Math.Max(1, parse.GetValue(rounds) ?? options.Rounds),
                Members = Math.Max(1, parse.GetValue(members) ?? options.Members),
                Callers = Math.Max(1, parse.GetValue(callers)),
                Drills = drills.Count == 0 ? DrillNames.All : [.. DrillNames.All.Where(drills.Contains)],
                ConnectionString = parse.GetValue(connectionString),
                ReportPath = parse.GetValue(report),
                SiloConfig = parse.GetValue(siloConfig)!,
                Seed = parse.GetValue(seed),
                CommandLine = $"{LoadTestCommand.RunCommandPrefix} {Verb} {string.Join(' ', args.Select(HidePassword).Select(Quote))}".TrimEnd(),
            };
            return await RunAsync(options);
        });

        // Ctrl+C and SIGTERM are ours to handle: the run must stop the silos and Postgres before exiting.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Runs the drills; prints the summary and result lines; writes the report if asked; the exit code.</summary>
    public static async Task<int> RunAsync(DrillOptions options, ConsoleProgress? progress = null, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"Received {context.Signal}: stopping the drills.");
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        progress ??= ConsoleProgress.Create();
        var run = new DrillRun(options, progress, TimeProvider.System);
        var started = TimeProvider.System.GetUtcNow();
        await RunAsync(run, progress, stop.Token);
        if (options.ReportPath is { } path && !stop.IsCancellationRequested)
        {
            try
            {
                progress.Line($"Report written: {await Report.DrillReport.WriteAsync(path, options, run, started, CancellationToken.None)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                run.Results.Failures.Add($"report: {e.Message}");
            }
        }

        return Finish(progress, run);
    }

    /// <summary>Runs <paramref name="run"/> and sums it up; failures and cancellation are recorded in its results, not thrown.</summary>
    public static async Task RunAsync(DrillRun run, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            await run.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Results.Failures.Add("cancelled (Ctrl+C, SIGTERM or the caller)");
        }
        catch (Exception e)
        {
            run.Results.Failures.Add($"setup: {e.GetType().Name}: {e.Message}");
            progress.Line(e.ToString());
        }

        run.Summarise();
    }

    /// <summary>The per-drill lines, the failures, then — the very last lines — one <c>result name value</c> per figure; the exit code.</summary>
    public static int Finish(ConsoleProgress progress, DrillRun run)
    {
        var results = run.Results;
        progress.Heading("Summary");
        foreach (var stats in run.Drills)
        {
            var v = stats.Verification;
            var f = DrillFigures.Of(stats);
            var recovery = f.Affected == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  affected {f.Affected,4}  answering again p99 {f.P99,7:N0} ms  max {f.Max,7:N0} ms");
            progress.Line(string.Create(CultureInfo.InvariantCulture, $"{stats.Label,-12} {(stats.Skipped is not null ? "skipped" : stats.Completed && stats.Failure is null ? "completed" : "NOT completed"),-13} acknowledged {stats.Acknowledged,7:N0}  lost {v?.Lost.ToString(CultureInfo.InvariantCulture) ?? "?",3}  duplicated {v?.Duplicated.ToString(CultureInfo.InvariantCulture) ?? "?",3}  wrong {stats.WrongAnswers,4:N0}  internal {stats.InternalErrors,4:N0}{recovery}"));
        }

        foreach (var failure in results.Failures)
        {
            progress.Line($"FAILED {failure}");
        }

        var failed = results.Failures.Count > 0 || MustBeZero.Any(n => results.Get(n) is not { } value || value != 0);
        Console.Out.Flush();
        foreach (var line in results.ResultLines())
        {
            Console.WriteLine(line);
        }

        return failed ? 1 : 0;
    }

    /// <summary>The command line goes into the report: a password in a connection string does not.</summary>
    private static string HidePassword(string arg) =>
        System.Text.RegularExpressions.Regex.Replace(arg, "(?i)(password|pwd)=[^;]*", "$1=***");

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
