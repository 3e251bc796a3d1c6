using System.Text.Json;
using MemberGrains.Domain.Rules;
using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.Persistence;

/// <summary>
/// The published programs in Postgres (table <c>loyalty_program</c>). Publishing validates the
/// document and numbers it one above the highest version, under a transaction-scoped advisory lock
/// so concurrent publishers (several operators, several silos) get distinct, gap-free versions.
/// </summary>
public sealed class ProgramRepository(NpgsqlDataSource dataSource)
{
    private const long PublishLockKey = 0x4D475F50524F4752; // "MG_PROGR"

    private const string Columns = "version, document::text, published_at, published_by, note";

    /// <summary>Every published version, oldest first.</summary>
    public Task<IReadOnlyList<ProgramVersion>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        LoadAfterAsync(0, cancellationToken);

    /// <summary>The versions above <paramref name="version"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ProgramVersion>> LoadAfterAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM loyalty_program WHERE version > $1 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version asked for, or null if it was never published.</summary>
    public async Task<ProgramVersion?> FindAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM loyalty_program WHERE version = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>The highest published version (the active program), 0 when none is.</summary>
    public async Task<int> MaxVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT COALESCE(max(version), 0) FROM loyalty_program");
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Validates <paramref name="documentJson"/> and publishes it as the next version, or returns
    /// every problem found and publishes nothing.
    /// </summary>
    public async Task<ProgramPublishResult> PublishAsync(string documentJson, string publishedBy, string note, CancellationToken cancellationToken = default)
    {
        var (canonical, problems) = Check(documentJson);
        if (canonical is null)
        {
            return ProgramPublishResult.Refused(problems);
        }

        try
        {
            var published = await InsertAsync(canonical, publishedBy, note, onlyIfEmpty: false, cancellationToken).ConfigureAwait(false);
            return ProgramPublishResult.Success(published!);
        }
        catch (PostgresException e) when (e.SqlState == OfferBudgetRepository.UnitChangedState)
        {
            // Nothing was published: the budget definitions are part of the publishing transaction.
            return ProgramPublishResult.Refused([new ProgramProblem("offers", $"{e.MessageText}.")]);
        }
    }

    /// <summary>
    /// Publishes <paramref name="documentJson"/> as version 1 if no program was ever published;
    /// returns it, or null when programs exist already. Throws <see cref="InvalidOperationException"/>
    /// listing every problem if the document is invalid (and programs have to be seeded).
    /// </summary>
    public async Task<ProgramVersion?> SeedAsync(string documentJson, string source, CancellationToken cancellationToken = default)
    {
        if (await MaxVersionAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return null;
        }

        var (canonical, problems) = Check(documentJson);
        if (canonical is null)
        {
            throw new InvalidOperationException(
                $"The initial loyalty program ({source}) is not valid, so the database can't be started on it:"
                + string.Concat(problems.Select(p => $"{Environment.NewLine}  {(p.Path.Length == 0 ? "(document)" : p.Path)}: {p.Message}")));
        }

        return await InsertAsync(canonical, "start-up", $"initial program: {source}", onlyIfEmpty: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The document's canonical form if it can be published, else every problem found. A document
    /// the validator accepts must also build the runtime rules (so a silo can always load it).
    /// </summary>
    private static (string? Canonical, IReadOnlyList<ProgramProblem> Problems) Check(string documentJson)
    {
        var check = ProgramValidator.Check(documentJson);
        if (!check.IsValid)
        {
            return (null, check.Problems.Count > 0 ? check.Problems : [new ProgramProblem(string.Empty, "The program document is not valid.")]);
        }

        try
        {
            _ = new ProgramRules(1, check.Program!);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return (null, [new ProgramProblem(string.Empty, $"The program can't be run: {e.Message}")]);
        }

        return (ProgramJson.Serialize(check.Program!), []);
    }

    private static async Task<IReadOnlyList<ProgramVersion>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<ProgramVersion>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(new ProgramVersion(
                reader.GetInt32(0),
                Readable(reader.GetString(1)),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3),
                reader.GetString(4)));
        }

        return versions;
    }

    /// <summary>
    /// jsonb keeps neither key order nor layout; the document is given back in the canonical form
    /// it was validated in. A document this build can no longer read comes back as stored.
    /// </summary>
    private static string Readable(string stored)
    {
        try
        {
            return ProgramJson.Serialize(ProgramJson.Deserialize(stored));
        }
        catch (JsonException)
        {
            return stored;
        }
    }

    private async Task<ProgramVersion?> InsertAsync(string canonical, string publishedBy, string note, bool onlyIfEmpty, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PublishLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Under the lock nobody else publishes, so max + 1 is free (the primary key would refuse a duplicate anyway).
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO loyalty_program (version, document, published_by, note)
            SELECT COALESCE(max(version), 0) + 1, $1, $2, $3 FROM loyalty_program
            HAVING NOT $4 OR count(*) = 0
            RETURNING {Columns}
            """,
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = canonical, NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new NpgsqlParameter { Value = publishedBy });
        insert.Parameters.Add(new NpgsqlParameter { Value = note });
        insert.Parameters.Add(new NpgsqlParameter { Value = onlyIfEmpty });
        var inserted = (await ReadAsync(insert, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        if (inserted is not null)
        {
            // The campaign budgets the new program sets, in the same transaction: a program is never
            // current without its budgets (a changed unit refuses the whole publication).
            await DefineBudgetsAsync(connection, transaction, new ProgramRules(inserted.Version, ProgramJson.Deserialize(canonical)), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>
    /// Sets the campaign budgets of <paramref name="rules"/>' offers (created, or changed unless a
    /// newer program set them: see <c>offer_budget_define</c> in schema 0006). Publishing does this
    /// itself; a silo does it at start-up for the current program, so a database whose program
    /// predates budgets gets them.
    /// </summary>
    public async Task DefineBudgetsAsync(ProgramRules rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Budgets.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await DefineBudgetsAsync(connection, null, rules, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DefineBudgetsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ProgramRules rules, CancellationToken cancellationToken)
    {
        if (rules.Budgets.Count == 0)
        {
            return;
        }

        await using var define = new NpgsqlCommand(
            "SELECT offer_budget_define(b.offer_id, b.unit, b.total, $4, now()) FROM unnest($1::text[], $2::text[], $3::bigint[]) AS b(offer_id, unit, total)",
            connection,
            transaction);
        define.Parameters.Add(new NpgsqlParameter { Value = rules.Budgets.Select(b => b.OfferId).ToArray() });
        define.Parameters.Add(new NpgsqlParameter { Value = rules.Budgets.Select(b => UnitText(b.Budget.Unit)).ToArray() });
        define.Parameters.Add(new NpgsqlParameter { Value = rules.Budgets.Select(b => b.Budget.Total).ToArray() });
        define.Parameters.Add(new NpgsqlParameter<int> { TypedValue = rules.Version });
        await define.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The schema's names of the units (offer_budget.unit).
    private static string UnitText(BudgetUnit unit) => unit switch
    {
        BudgetUnit.DiscountFen => "money",
        BudgetUnit.Points => "points",
        BudgetUnit.Uses => "uses",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown budget unit."),
    };
}
