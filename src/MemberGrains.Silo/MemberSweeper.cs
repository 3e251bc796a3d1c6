using MemberGrains.Abstractions;
using MemberGrains.Grains;
using Microsoft.Extensions.Options;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.Silo;

/// <summary>
/// Brings members whose time-based rules are due (expiry, monthly tier review, notices) up to date
/// without waiting for their next checkout: every <see cref="SweeperOptions.IntervalSeconds"/> it
/// finds members with <c>member.due_at</c> at or before now and touches their grains, a few at a
/// time, then deletes the member parts members have forgotten (answers, purchases and holds past
/// their retention), a page at a time. One silo sweeps at a time (a Postgres advisory lock, held by
/// <see cref="MemberSweepSession"/>); the others skip that round.
/// </summary>
/// <remarks>
/// "Now" and the interval come from the members' clock (<see cref="MemberClock"/>), the same
/// clock the grains decide with, so a member the sweeper finds due is due for its grain too.
/// </remarks>
public sealed partial class MemberSweeper(
    IGrainFactory grains,
    NpgsqlDataSource dataSource,
    MemberClock clock,
    IOptions<SweeperOptions> options,
    ILogger<MemberSweeper> logger) : BackgroundService
{
    /// <summary>
    /// Parts are pruned this long after they are forgotten: a silo whose clock runs a little behind
    /// this one's still remembers them, and must not reload a member without them.
    /// </summary>
    public static readonly TimeSpan PruneGrace = TimeSpan.FromHours(1);

    private readonly SweeperOptions _options = options.Value;

    /// <summary>Runs one sweep now (if this silo gets the lock): touches due members, then prunes forgotten parts.</summary>
    public async Task<SweepResult> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await MemberSweepSession.TryOpenAsync(dataSource, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            LogSkipped(logger);
            return SweepResult.Skipped;
        }

        var now = clock.UtcNow;
        var (due, changed, failed) = await TouchDueAsync(session, now, cancellationToken).ConfigureAwait(false);
        var pruned = await PruneAsync(session, now - PruneGrace, cancellationToken).ConfigureAwait(false);
        if (due > 0 || pruned > 0)
        {
            LogSwept(logger, due, changed, failed, pruned);
        }

        return new SweepResult(true, due, changed, failed, pruned);
    }

    private async Task<(int Due, int Changed, int Failed)> TouchDueAsync(MemberSweepSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pageSize = Math.Max(1, _options.BatchSize);
        var limit = Math.Max(1, _options.MaxMembersPerSweep);
        int due = 0, changed = 0, failed = 0;
        DueMember? last = null;
        while (due < limit)
        {
            var page = await session.ReadDueAsync(now, last, Math.Min(pageSize, limit - due), cancellationToken).ConfigureAwait(false);
            due += page.Count;
            await Parallel.ForEachAsync(
                page,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = cancellationToken },
                async (member, _) =>
                {
                    try
                    {
                        if (await grains.Member(member.MemberId).TouchAsync().ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref changed);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref failed);
                        LogTouchFailed(logger, member.MemberId, e.Message);
                    }
                }).ConfigureAwait(false);

            if (page.Count < pageSize)
            {
                break;
            }

            last = page[^1];
        }

        return (due, changed, failed);
    }

    // Off the till's path: a member's own write leaves the parts it forgets by time in Postgres
    // (see MemberParts.Advance); they are deleted here, a page per statement, each its own transaction.
    private async Task<int> PruneAsync(MemberSweepSession session, DateTimeOffset forgottenBy, CancellationToken cancellationToken)
    {
        var pageSize = Math.Max(1, _options.PruneBatchSize);
        var pruned = 0;
        while (pruned < _options.MaxPrunedPerSweep)
        {
            var deleted = await session.PruneForgottenPartsAsync(forgottenBy, Math.Min(pageSize, _options.MaxPrunedPerSweep - pruned), cancellationToken).ConfigureAwait(false);
            pruned += deleted;
            if (deleted < pageSize)
            {
                break;
            }
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.IntervalSeconds <= 0)
        {
            LogDisabled(logger);
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.IntervalSeconds), clock.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Postgres unreachable or the like: due members stay due; try again next round.
                    LogSweepFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep touched {Due} due members ({Changed} changed, {Failed} failed) and pruned {Pruned} forgotten member parts")]
    private static partial void LogSwept(ILogger logger, int due, int changed, int failed, int pruned);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sweep skipped: another silo holds the sweep lock")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member sweeper is off (MemberGrains:Sweeper:IntervalSeconds = 0)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Touching due member {MemberId} failed; it stays due: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed; due members wait for the next one: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
