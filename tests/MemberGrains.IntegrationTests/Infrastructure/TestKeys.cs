using Grpc.Core;
using Grpc.Net.Client;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// API keys for tests that call a silo: created in the test database through the real
/// <see cref="ApiKeyStore"/>, and sent on every call of a channel as <c>authorization: Bearer …</c>
/// (call credentials, allowed over h2c).
/// </summary>
public static class TestKeys
{
    /// <summary>Creates a key of <paramref name="scope"/> in the database; returns its text.</summary>
    public static async Task<string> CreateAsync(string connectionString, ApiKeyScope scope = ApiKeyScope.Admin, string name = "tests")
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return (await new ApiKeyStore(dataSource).CreateAsync(name, scope, "tests")).KeyText;
    }

    /// <summary>A channel to <paramref name="address"/> that sends <paramref name="key"/> on every call (none when null).</summary>
    public static GrpcChannel Channel(Uri address, string? key, GrpcChannelOptions? options = null)
    {
        options ??= new GrpcChannelOptions();
        if (key is not null)
        {
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {key}");
                return Task.CompletedTask;
            });
            options.Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials);
            options.UnsafeUseInsecureChannelCallCredentials = true;
        }

        return GrpcChannel.ForAddress(address, options);
    }

    /// <summary>Creates an admin key in the silo's database and returns a channel that sends it.</summary>
    public static async Task<GrpcChannel> AdminChannelAsync(Silo.SiloHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Channel(host.GrpcAddress, await CreateAsync(host.ConnectionString));
    }
}
