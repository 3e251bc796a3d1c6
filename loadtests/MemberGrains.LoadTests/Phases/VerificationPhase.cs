using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Verification;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 10: every acknowledged mutation in the ledger exactly once, nothing else, balances equal to ledgers (in Postgres and in memory).</summary>
internal static class VerificationPhase
{
    public static async Task<VerificationResult> RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var traffic = run.Traffic;
        var meter = new PhaseMeter($"Verifying {traffic.Log.Count:N0} mutations against the ledger", Ops.GetMember)
        {
            Status = () => "SQL over the run's request ids; GetMember on a sample of touched members",
        };
        meter.Start();
        var result = await run.Progress.RunAsync(meter, () => LedgerVerifier.VerifyAsync(
            run.Database.ConnectionString,
            traffic.Members,
            traffic.Log.Records,
            (sample, ct) => InMemoryBalancesAsync(traffic, meter[Ops.GetMember], sample, ct),
            run.Options.BalanceSample,
            cancellationToken));
        meter.Stop();
        Record(run.Results, result, traffic.Log.Replayed);
        foreach (var example in result.Examples)
        {
            run.Progress.Line("  " + example);
        }

        run.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"Verification {(result.Passed ? "passed" : "FAILED")}: lost {result.Lost}, duplicated {result.Duplicated}, unacknowledged in ledger {result.UnackedInLedger}, hold rows {result.HoldLedgerRows}, balance mismatches {result.BalanceMismatches} ({result.TouchedMembers:N0} touched members, {result.MemorySampled:N0} read back from memory)"));
        return result;
    }

    public static void Record(RunResults results, VerificationResult result, long replayed)
    {
        results.Set("lost", result.Lost);
        results.Set("duplicated", result.Duplicated);
        results.Set("unacked_in_ledger", result.UnackedInLedger);
        results.Set("balance_mismatches", result.BalanceMismatches);
        results.Set("hold_ledger_rows", result.HoldLedgerRows);
        results.Set("mutations_acknowledged", result.Acknowledged);
        results.Set("mutations_unknown", result.Unknown);
        if (!result.Passed)
        {
            results.Failures.Add("verification: the ledger does not match what was acknowledged");
        }

        results.Section(
            "Verification",
            "After the run, SQL over the run's request ids (every request id starts with the run's prefix) compares Postgres with what the generator was told. "
            + "Expected ledger row per acknowledged mutation that moved points: Accrue → `Earn`, CaptureRedemption → `Redeem`, Refund → `RefundClawback`, RecordActivity → `Activity`, each carrying that mutation's own request id; Reserve and Release move no points.\n\n"
            + Markdown.Table(
                ["check", "count"],
                [
                    ["mutations acknowledged", Markdown.N(result.Acknowledged)],
                    ["… of which moved points (must be in the ledger)", Markdown.N(result.LedgerBearing)],
                    ["mutations refused with a definite status", Markdown.N(result.Failed)],
                    ["mutations with unknown outcome (excluded)", Markdown.N(result.Unknown)],
                    ["answers marked replayed (never retried, so expected 0)", Markdown.N(replayed)],
                    ["**lost**: acknowledged, not in the ledger", Markdown.N(result.Lost)],
                    ["**duplicated**: (member, request id, kind) more than once", Markdown.N(result.Duplicated)],
                    ["**unacked_in_ledger**: in the ledger, refused or never sent", Markdown.N(result.UnackedInLedger)],
                    ["ledger rows carrying a Reserve/Release request id", Markdown.N(result.HoldLedgerRows)],
                    ["touched members checked: member.balance = sum(ledger)", Markdown.N(result.TouchedMembers)],
                    ["… mismatches", Markdown.N(result.LedgerBalanceMismatches)],
                    ["touched members read back with GetMember (in memory = Postgres)", Markdown.N(result.MemorySampled)],
                    ["… mismatches", Markdown.N(result.MemoryBalanceMismatches)],
                    ["**balance_mismatches**", Markdown.N(result.BalanceMismatches)],
                ])
            + (result.Examples.Count == 0 ? string.Empty : "\nExamples:\n\n" + string.Concat(result.Examples.Select(e => $"- `{e}`\n"))));
    }

    private static async Task<IReadOnlyDictionary<int, long>> InMemoryBalancesAsync(Traffic traffic, OpRecorder recorder, IReadOnlyList<int> sample, CancellationToken cancellationToken)
    {
        var balances = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        await ClosedLoop.EachAsync(16, sample, async (member, start, ct) =>
        {
            var result = await traffic.GetMemberAsync(recorder, member, start, ct);
            if (result.Ok)
            {
                balances[member] = result.Reply!.Balance;
            }
        }, cancellationToken);
        return balances;
    }
}
