using System.Globalization;
using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>
/// Campaign budgets and their leases in Postgres (schema 0006, which explains why nothing can be
/// overspent): each call is one statement running one of the schema's functions, so every rule is
/// enforced inside PostgreSQL whoever calls, however many at once.
/// </summary>
public sealed class OfferBudgetRepository(NpgsqlDataSource dataSource)
{
    /// <summary>SQLSTATE of a use that names another offer's lease, or a give-back beyond what the member used.</summary>
    public const string InvalidUseState = "MGB02";

    /// <summary>SQLSTATE of a program that changes the unit of an offer's budget.</summary>
    public const string UnitChangedState = "MGB03";

    /// <summary>
    /// Sets the offer's budget from program <paramref name="programVersion"/>: created, or its
    /// total changed unless a newer program set it (see <c>offer_budget_define</c>: a lowered
    /// total binds at once, revoking open leases if they no longer fit). A different unit for an
    /// existing budget is refused (<see cref="PostgresException"/> with <see cref="UnitChangedState"/>).
    /// </summary>
    public async Task<OfferBudgetDefinition> DefineAsync(string offerId, OfferBudgetUnit unit, long total, int programVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        await using var command = dataSource.CreateCommand("SELECT offer_budget_define($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = offerId });
        command.Parameters.Add(new NpgsqlParameter { Value = UnitText(unit) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = total });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = programVersion });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        var result = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return Enum.Parse<OfferBudgetDefinition>(result, ignoreCase: true);
    }

    /// <summary>
    /// Grants <paramref name="silo"/> a lease on the offer's budget valid for <paramref name="duration"/>
    /// from <paramref name="now"/>: <paramref name="fraction"/> of what is available (rounded up), at
    /// least <paramref name="atLeast"/> and 1 unit, at most all of it. Leases lapsed by more than
    /// <paramref name="grace"/> are reclaimed first, in the same transaction.
    /// </summary>
    public async Task<OfferLeaseGrant> GrantAsync(
        string offerId, string silo, long atLeast, double fraction, TimeSpan duration, TimeSpan grace, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT lease_id, amount, expires_at, available, total, unit, revision FROM offer_budget_grant($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new NpgsqlParameter { Value = offerId });
        command.Parameters.Add(new NpgsqlParameter { Value = silo });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(1, atLeast) });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = Math.Clamp(fraction, 0, 1) });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = duration.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = grace.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new OfferLeaseGrant(
            reader.IsDBNull(0) ? null : reader.GetInt64(0),
            reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4),
            reader.IsDBNull(5) ? null : ParseUnit(reader.GetString(5)),
            reader.IsDBNull(6) ? null : reader.GetInt64(6));
    }

    /// <summary>
    /// Closes a lease its silo hands back, once no transaction is still writing uses on it; its
    /// unused part is available again. What it used, or null if it was closed already or is unknown.
    /// </summary>
    public async Task<long?> ReturnAsync(long leaseId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT offer_budget_return($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = leaseId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long used ? used : null;
    }

    /// <summary>Closes the offer's leases past their expiry by more than <paramref name="grace"/>; how many.</summary>
    public async Task<int> ReclaimAsync(string offerId, TimeSpan grace, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT offer_budget_reclaim($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = offerId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = grace.TotalSeconds });
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The offer's budget as committed now; null when it has none.</summary>
    public async Task<OfferBudgetStatus?> ReadAsync(string offerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT unit, total, available, held, spent, open_leases, revision FROM offer_budget_status($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = offerId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new OfferBudgetStatus(ParseUnit(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6));
    }

    private static string UnitText(OfferBudgetUnit unit) => unit switch
    {
        OfferBudgetUnit.Money => "money",
        OfferBudgetUnit.Points => "points",
        OfferBudgetUnit.Uses => "uses",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown budget unit."),
    };

    private static OfferBudgetUnit ParseUnit(string text) => text switch
    {
        "money" => OfferBudgetUnit.Money,
        "points" => OfferBudgetUnit.Points,
        "uses" => OfferBudgetUnit.Uses,
        _ => throw new FormatException(string.Format(CultureInfo.InvariantCulture, "Unknown budget unit '{0}' in offer_budget.", text)),
    };
}
