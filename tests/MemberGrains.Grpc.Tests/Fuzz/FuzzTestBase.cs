using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using MemberGrains.Grpc.Tests.Infrastructure;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Runs a fixed number of seeded cases against one rpc through the real server, judges every
/// answer and the state after it, collects every contract violation, checks that the server still
/// serves, and fails once with all violations, the seed and how to repeat the run.
/// </summary>
public abstract class FuzzTestBase(AdminHostFixture fixture) : GrpcTestBase(fixture)
{
    /// <summary>Cases per rpc with hostile field values.</summary>
    protected const int CasesPerRpc = 150;

    /// <summary>Cases per rpc with malformed bytes.</summary>
    protected const int RawCasesPerRpc = 40;

    /// <summary>
    /// A run of one rpc takes a few seconds; one that takes longer stops here and fails, so a server
    /// slowed down by what it stored (answers of megabytes) can't make the suite run for minutes.
    /// </summary>
    private static readonly TimeSpan RunBudget = TimeSpan.FromSeconds(20);

    private FuzzClient? _raw;

    internal FuzzClient RawClient => _raw ??= new FuzzClient(Fixture.Channel);

    /// <summary>Every rpc of the service, by name.</summary>
    protected static TheoryData<string> RpcsOf(ServiceDescriptor service)
    {
        var data = new TheoryData<string>();
        foreach (var method in service.Methods)
        {
            data.Add(method.Name);
        }

        return data;
    }

    internal async Task FuzzAsync(IFuzzWorld world, string rpc, bool raw, Func<Task>? afterRun = null)
    {
        var method = world.Service.FindMethodByName(rpc) ?? throw new ArgumentOutOfRangeException(nameof(rpc), rpc, $"{world.Service.FullName} has no such rpc.");
        var run = new FuzzRun($"{world.Service.FullName}/{rpc}{(raw ? " (raw wire)" : string.Empty)}");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var count = raw ? RawCasesPerRpc : CasesPerRpc;
            for (var i = 0; i < count; i++)
            {
                if (Stopwatch.GetElapsedTime(started) > RunBudget)
                {
                    run.Fail($"stopped after {i} of {count} cases: the run took longer than {RunBudget.TotalSeconds:0} s (the server answers slowly).");
                    break;
                }

                FuzzCase fuzzCase;
                try
                {
                    fuzzCase = raw
                        ? await RawFuzzer.NextAsync(world, method, i, run.Random, Ct)
                        : await RequestFuzzer.NextAsync(world, method, i, run.Random, Ct);
                }
                catch (RpcException e)
                {
                    run.Fail($"#{i}: preparing a valid request failed ({Wire.StatusName(e.StatusCode)} {Show.Text(e.Status.Detail, 160)}); the run stopped there.");
                    break;
                }

                run.Cases++;
                var outcome = await RawClient.SendAsync(method, fuzzCase.Payload, Ct);
                foreach (var problem in AnswerCheck.Problems(fuzzCase, outcome))
                {
                    run.Fail(fuzzCase, outcome, problem);
                }

                try
                {
                    await world.VerifyAsync(fuzzCase, outcome, problem => run.Fail(fuzzCase, outcome, problem), Ct);
                }
                catch (RpcException e)
                {
                    run.Fail(fuzzCase, outcome, $"reading the state afterwards failed ({Wire.StatusName(e.StatusCode)} {Show.Text(e.Status.Detail, 160)})");
                }
            }
        }
        finally
        {
            if (afterRun is not null)
            {
                try
                {
                    await afterRun();
                }
                catch (RpcException e)
                {
                    run.Fail($"cleaning up after the run failed ({Wire.StatusName(e.StatusCode)} {Show.Text(e.Status.Detail, 160)})");
                }
            }
        }

        await CheckStillServingAsync(run);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Name}: {run.Cases} cases, {run.Failures} violation(s), {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, seed {run.Seed} ({FuzzSeed.EnvironmentVariable}={FuzzSeed.Base})"));
        run.AssertPassed();
    }

    /// <summary>After the run the server says SERVING and a normal enrolment and purchase go through.</summary>
    private async Task CheckStillServingAsync(FuzzRun run)
    {
        try
        {
            var health = await new Health.HealthClient(Fixture.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
            if (health.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                run.Fail($"after the run grpc.health.v1.Health/Check says {health.Status}");
            }

            var memberId = NewMemberId();
            var enrolled = (await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct)).Receipt;
            var bought = (await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 10_000), cancellationToken: Ct)).Receipt;
            if (bought.Points <= 0 || bought.Balance != enrolled.Balance + bought.Points || bought.Balance != await Db.LedgerSumAsync(memberId))
            {
                run.Fail($"after the run a normal purchase earned {bought.Points} points to a balance of {bought.Balance} (enrolled with {enrolled.Balance})");
            }
        }
        catch (RpcException e)
        {
            run.Fail($"after the run the server no longer serves: {Wire.StatusName(e.StatusCode)} {Show.Text(e.Status.Detail, 160)}");
        }
    }
}
