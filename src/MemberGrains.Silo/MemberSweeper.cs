using MemberGrains.Abstractions;
using MemberGrains.Grains;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemberGrains.Silo;

/// <summary>
/// Brings members whose time-based rules are due (expiry, monthly tier review, notices) up to date
/// without waiting for their next checkout: every <see cref="SweeperOptions.IntervalSeconds"/> it
/// finds members with <c>member.due_at</c> at or before now and touches their grains, a few at a
/// time. One silo sweeps at a time (a Postgres advisory lock); the others skip that round.
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
    private const long SweepLockKey = 0x4D475F5357454550; // "MG_SWEEP"

    // Keyset pages by (due_at, member_id): members a touch could not move on (nothing changed, or
    // the touch failed) don't keep the ones behind them from being reached in the same sweep.
    private const string DueMembers = """
        SELECT member_id, due_at FROM member
        WHERE due_at <= $1 AND ($2::timestamptz IS NULL OR (due_at, member_id) > ($2, $3))
        ORDER BY due_at, member_id
        LIMIT $4
        """;

    private readonly SweeperOptions _options = options.Value;

    /// <summary>Runs one sweep now (if this silo gets the lock).</summary>
    public async Task<SweepResult> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        // A session lock, not a transaction one: no transaction stays open while members are
        // touched (an open transaction would hold back the event outbox's readers).
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!await ScalarAsync<bool>(connection, $"SELECT pg_try_advisory_lock({SweepLockKey})", cancellationToken).ConfigureAwait(false))
        {
            LogSkipped(logger);
            return SweepResult.Skipped;
        }

        try
        {
            var now = clock.UtcNow;
            var pageSize = Math.Max(1, _options.BatchSize);
            var limit = Math.Max(1, _options.MaxMembersPerSweep);
            int due = 0, changed = 0, failed = 0;
            (DateTime DueAt, string MemberId)? last = null;
            while (due < limit)
            {
                var page = await ReadDueAsync(connection, now, last, Math.Min(pageSize, limit - due), cancellationToken).ConfigureAwait(false);
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

            var result = new SweepResult(true, due, changed, failed);
            if (due > 0)
            {
                LogSwept(logger, due, changed, failed);
            }

            return result;
        }
        finally
        {
            await ScalarAsync<bool>(connection, $"SELECT pg_advisory_unlock({SweepLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
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

    private static async Task<List<(DateTime DueAt, string MemberId)>> ReadDueAsync(
        NpgsqlConnection connection,
        DateTimeOffset now,
        (DateTime DueAt, string MemberId)? after,
        int max,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(DueMembers, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } a ? a.DueAt : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.MemberId ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<(DateTime, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add((reader.GetDateTime(1), reader.GetString(0)));
        }

        return page;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep touched {Due} due members: {Changed} changed, {Failed} failed")]
    private static partial void LogSwept(ILogger logger, int due, int changed, int failed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sweep skipped: another silo holds the sweep lock")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member sweeper is off (MemberGrains:Sweeper:IntervalSeconds = 0)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Touching due member {MemberId} failed; it stays due: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed; due members wait for the next one: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
