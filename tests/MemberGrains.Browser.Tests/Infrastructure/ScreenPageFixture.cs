using Grpc.Net.Client;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using MemberGrains.Silo;
using Microsoft.Playwright;

namespace MemberGrains.Browser.Tests.Infrastructure;

/// <summary>
/// A real silo (Kestrel + Orleans on a fresh test database, the shipped default program, the HTTP/1.1
/// endpoint on a free port, the demo members seeded at start-up) and Debian's Chromium on a
/// throwaway profile. Keys are required as in
/// production: the tills' calls send a pos key, and every page opens with a screen key in its
/// address (as a store's screen is set up) unless the test gives its own.
/// </summary>
public sealed class ScreenPageFixture : IAsyncLifetime
{
    private SiloHost? _silo;
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;
    private string? _profile;

    public GrpcChannel Channel { get; private set; } = null!;

    public PointOfSale.PointOfSaleClient Pos { get; private set; } = null!;

    /// <summary>The key of scope screen the pages are opened with.</summary>
    public string ScreenKey { get; private set; } = null!;

    /// <summary>Where the silo serves the page and its JSON and events.</summary>
    public Uri HttpAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // First, so a machine without the browser fails at once with what to install.
        Chromium.EnsureInstalled();
        var database = await SharedPostgres.CreateDatabaseAsync("browser");
        // The demo members (DEMO0001…) are seeded as a development start seeds them: their histories
        // are played with the default program, so their views carry real offers, reminders and tags.
        _silo = await TestSilo.StartAsync(database, new Dictionary<string, string?> { ["MemberGrains:DemoMembers"] = "true" }, defaultProgram: true);
        HttpAddress = _silo.HttpAddress ?? throw new InvalidOperationException("The silo's HTTP endpoint is off.");
        Channel = TestKeys.Channel(_silo.GrpcAddress, await TestKeys.CreateAsync(database, ApiKeyScope.Pos, "browser tests till"));
        ScreenKey = await TestKeys.CreateAsync(database, ApiKeyScope.Screen, "browser tests screen");
        Pos = new PointOfSale.PointOfSaleClient(Channel);

        _profile = Directory.CreateTempSubdirectory("membergrains-chromium-").FullName;
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright, _profile);
        _browser.SetDefaultTimeout(30_000);
        // A shared two-core machine: give the page time, never a fixed sleep.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>
    /// A new tab at /screen/?<paramref name="query"/>, <paramref name="width"/>×<paramref name="height"/>;
    /// with <see cref="ScreenKey"/> added when the query names no key.
    /// </summary>
    public async Task<IPage> OpenAsync(string query, int width = 1920, int height = 1080)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.Split('&').Any(p => p.StartsWith("key=", StringComparison.Ordinal)))
        {
            query = (query.Length > 0 ? query + "&" : string.Empty) + "key=" + Uri.EscapeDataString(ScreenKey);
        }

        var page = await (_browser ?? throw new InvalidOperationException("The browser is not started.")).NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync(new Uri(HttpAddress, "/screen/?" + query).ToString());
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        Channel?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_profile is not null)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its last files; the folder is in the temp directory.
            }
        }
    }
}
