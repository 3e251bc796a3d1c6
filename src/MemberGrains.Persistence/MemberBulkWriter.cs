using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.Persistence;

/// <summary>
/// Writes members that are not stored yet in bulk, with binary COPY, in the store's own format: the
/// member rows (core document, format 2), their parts, ledger rows and events — for seeding a
/// large population (the load test) where a commit per member would take hours. The caller owns
/// the transaction; nothing here checks versions, so it is only for members that do not exist.
/// </summary>
public static class MemberBulkWriter
{
    public static async Task WriteNewMembersAsync(NpgsqlConnection connection, IReadOnlyList<MemberWrite> writes, CancellationToken cancellationToken = default)
    {
        if (writes.FirstOrDefault(w => w.ExpectedVersion != 0 || w.OfferUses.Count > 0 || w.Parts.Deletes.Count > 0) is { } other)
        {
            throw new ArgumentException($"Member '{other.MemberId}': only enrolments (no expected version, offer uses or removed parts) are written in bulk.", nameof(writes));
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY member (member_id, version, balance, tier, enrolled_at, updated_at, state, due_at, state_format) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var w in writes)
            {
                copy.StartRow();
                copy.Write(w.MemberId, NpgsqlDbType.Text);
                copy.Write(w.NewVersion, NpgsqlDbType.Bigint);
                copy.Write(w.Balance, NpgsqlDbType.Bigint);
                copy.Write(w.Tier, NpgsqlDbType.Text);
                copy.Write(w.EnrolledAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                copy.Write(w.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                copy.Write(w.StateJson, NpgsqlDbType.Jsonb);
                WriteTime(copy, w.DueAt);

                copy.Write((short)2, NpgsqlDbType.Smallint);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY member_part (member_id, kind, key, data, forget_at) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var w in writes)
            {
                foreach (var part in w.Parts.Upserts)
                {
                    copy.StartRow();
                    copy.Write(w.MemberId, NpgsqlDbType.Text);
                    copy.Write(part.Kind, NpgsqlDbType.Text);
                    copy.Write(part.Key, NpgsqlDbType.Text);
                    copy.Write(part.Json, NpgsqlDbType.Jsonb);
                    WriteTime(copy, part.ForgetAt);
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at, offer_id) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var w in writes)
            {
                foreach (var e in w.Ledger)
                {
                    copy.StartRow();
                    copy.Write(w.MemberId, NpgsqlDbType.Text);
                    copy.Write(e.Seq, NpgsqlDbType.Bigint);
                    copy.Write(e.RequestId, NpgsqlDbType.Text);
                    copy.Write(e.Kind.ToString(), NpgsqlDbType.Text);
                    copy.Write(e.Points, NpgsqlDbType.Bigint);
                    copy.Write(e.BalanceAfter, NpgsqlDbType.Bigint);
                    copy.Write(e.ProgramVersion, NpgsqlDbType.Integer);
                    copy.Write(e.StoreId, NpgsqlDbType.Text);
                    copy.Write(e.TerminalId, NpgsqlDbType.Text);
                    copy.Write(e.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                    if (e.OfferId is { } offer)
                    {
                        copy.Write(offer, NpgsqlDbType.Text);
                    }
                    else
                    {
                        copy.WriteNull();
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY member_event (member_id, seq, kind, program_version, data, occurred_at) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var w in writes)
            {
                foreach (var e in w.Events)
                {
                    copy.StartRow();
                    copy.Write(w.MemberId, NpgsqlDbType.Text);
                    copy.Write(e.Seq, NpgsqlDbType.Bigint);
                    copy.Write(e.Kind, NpgsqlDbType.Text);
                    copy.Write(e.ProgramVersion, NpgsqlDbType.Integer);
                    copy.Write(MemberEventJson.SerializeData(e.Data), NpgsqlDbType.Jsonb);
                    copy.Write(e.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteTime(NpgsqlBinaryImporter copy, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            copy.Write(t.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        else
        {
            copy.WriteNull();
        }
    }
}
