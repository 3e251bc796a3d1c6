using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The API keys a run's calls carry: a pos key for PointOfSale, a screen key for StoreScreen, an admin key for Diagnostics. A
/// run that owns its silos creates them in its database before any traffic (and revokes them at
/// the end); against running silos (<c>--silo-address</c>) the operator's key (<c>--key</c>, scope
/// admin) serves all.
/// </summary>
internal sealed class LoadKeys
{
    private readonly string _connectionString = string.Empty;
    private readonly string[] _created = [];

    private LoadKeys(string pos, string screen, string admin)
    {
        Pos = pos;
        Screen = screen;
        Admin = admin;
    }

    private LoadKeys(string pos, string screen, string admin, string connectionString, string[] created)
        : this(pos, screen, admin)
    {
        _connectionString = connectionString;
        _created = created;
    }

    /// <summary>Sent with PointOfSale calls.</summary>
    public string Pos { get; }

    /// <summary>Sent with StoreScreen calls.</summary>
    public string Screen { get; }

    /// <summary>Sent with Diagnostics calls.</summary>
    public string Admin { get; }

    /// <summary>What the run tells about its keys (never their secrets).</summary>
    public string Description => _created.Length > 0
        ? $"created in the run's database: pos key {ApiKeyText.Parse(Pos)?.KeyId}, screen key {ApiKeyText.Parse(Screen)?.KeyId}, admin key {ApiKeyText.Parse(Admin)?.KeyId} (revoked at the end)"
        : $"the key given by --key or MEMBERGRAINS_KEY ({ApiKeyText.Parse(Admin)?.KeyId ?? "not a key's text"})";

    /// <summary>The operator's key for every call.</summary>
    public static LoadKeys Given(string key) => new(key, key, key);

    /// <summary>Creates a pos and an admin key named after the run in its database.</summary>
    public static async Task<LoadKeys> CreateAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new ApiKeyStore(dataSource);
        var pos = await store.CreateAsync($"{name} pos", ApiKeyScope.Pos, name, cancellationToken);
        var screen = await store.CreateAsync($"{name} screen", ApiKeyScope.Screen, name, cancellationToken);
        var admin = await store.CreateAsync($"{name} admin", ApiKeyScope.Admin, name, cancellationToken);
        return new LoadKeys(pos.KeyText, screen.KeyText, admin.KeyText, connectionString, [pos.Info.KeyId, screen.Info.KeyId, admin.Info.KeyId]);
    }

    /// <summary>
    /// Revokes the keys the run created (none when it was given one), so none outlives the run in a
    /// database that does. Best effort: a database that can't be reached now keeps them (named after the run).
    /// </summary>
    public async Task RevokeCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created.Length == 0)
        {
            return;
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(_connectionString);
            var store = new ApiKeyStore(dataSource);
            foreach (var keyId in _created)
            {
                await store.RevokeAsync(keyId, cancellationToken);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The run's own throwaway server may be down after a failed drill; it goes with its keys.
        }
    }
}
