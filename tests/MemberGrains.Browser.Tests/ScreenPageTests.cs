using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using MemberGrains.Browser.Tests.Infrastructure;
using MemberGrains.Protos.V1;
using MemberGrains.Silo.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MemberGrains.Browser.Tests;

/// <summary>
/// The store screen page in a real browser against a real silo: a member scans, sees the balance
/// and tier, and the page follows a till's purchase live; unknown cards, bad input, both languages,
/// idle return; the seeded demo members' real offers, reminders and tags; and a crowded view
/// (eight offers, offers that start later) that still fits the screen.
/// </summary>
[Collection(ScreenPageCollection.Name)]
public sealed class ScreenPageTests(ScreenPageFixture fixture)
{
    private int _views;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scan_MemberNumber_ShowsBalanceAndTierThenTillPurchaseLiveWithoutReload()
    {
        var memberId = await EnrolledAsync();
        var first = await PurchaseAsync(memberId, 258_00);
        var page = await OpenAsync("store=S001&lang=zh-CN");

        await ScanAsync(page, memberId);

        await Expect(page.GetByTestId("balance")).ToHaveTextAsync(Points(first.Receipt.Balance));
        await Expect(page.GetByTestId("tier")).ToHaveTextAsync("普卡");
        await Expect(page.GetByTestId("tier-next")).ToHaveTextAsync(new Regex("^再消费 ¥[0-9,]+\\.[0-9]{2} 升级银卡$"));
        await Expect(page.GetByTestId("masked-id")).ToContainTextAsync("*");
        await Expect(page.GetByTestId("live")).ToHaveTextAsync("实时");
        await AssertFitsAsync(page);

        // The same document must show the till's purchase: no reload, no new scan.
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        var second = await PurchaseAsync(memberId, 120_00);

        Assert.True(second.Receipt.Balance > first.Receipt.Balance);
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync(Points(second.Receipt.Balance));
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"));
        await Screenshots.SaveAsync(page, "member-live-zh-CN");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Scan_UnknownMember_ShowsUnknownCardThenReturnsToScan()
    {
        var page = await OpenAsync("store=S001");

        await ScanAsync(page, NewMemberId());

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "unknown");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("我们不认识这张卡");
        await Screenshots.SaveAsync(page, "unknown-card-zh-CN");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "attract");
        await Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task Scan_NotAMemberNumber_ShowsCouldNotRead()
    {
        var page = await OpenAsync("lang=en");

        await ScanAsync(page, "not a number");

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "invalid");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("We couldn't read that code");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Scan_ServiceUnavailable_AsksToTryAgain()
    {
        var page = await OpenAsync("lang=en");
        await page.RouteAsync("**/api/members/*/view*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503,
            ContentType = "application/json",
            Body = """{"code":"UNAVAILABLE","field":"","message":"retry"}""",
        }));

        await ScanAsync(page, NewMemberId());

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "unavailable");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("please try again");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Scan_WithKey_EveryRequestCarriesTheKey()
    {
        var memberId = await EnrolledAsync();
        var page = await OpenAsync("store=S001");
        var view = page.WaitForRequestAsync(new Regex("/api/members/[^/]+/view"));
        var events = page.WaitForRequestAsync(new Regex("/api/members/[^/]+/events"));

        await ScanAsync(page, memberId);

        var viewRequest = await view;
        var eventsRequest = await events;
        var key = "key=" + fixture.ScreenKey;
        Assert.Equal(fixture.ScreenKey, await viewRequest.HeaderValueAsync("x-api-key"));
        Assert.Contains(key, viewRequest.Url, StringComparison.Ordinal);
        Assert.Contains("store=S001", viewRequest.Url, StringComparison.Ordinal);
        // EventSource can't send headers: the query carries the key.
        Assert.Contains(key, eventsRequest.Url, StringComparison.Ordinal);
        Assert.Contains("seconds=600", eventsRequest.Url, StringComparison.Ordinal);
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("100");
        await Expect(page.GetByTestId("live")).ToHaveTextAsync("实时");
        await page.CloseAsync();
    }

    [Theory]
    [InlineData("en", "mgk_0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "This screen's key is not valid", "API_KEY_UNKNOWN")]
    [InlineData("zh-CN", "", "此屏幕的访问密钥无效", "API_KEY_MISSING")]
    public async Task Scan_KeyRefused_SaysTheScreensKeyIsNotValid(string lang, string key, string title, string reason)
    {
        var memberId = await EnrolledAsync();
        var page = await OpenAsync($"lang={lang}&key={key}");

        await ScanAsync(page, memberId);

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "key");
        await Expect(page.GetByTestId("message")).ToContainTextAsync(title);
        await Expect(page.GetByTestId("message")).ToContainTextAsync(reason);
        // Rescanning can't mend a key: the screen keeps saying so rather than counting down to the start.
        await Expect(page.Locator("#countdown")).ToBeHiddenAsync();
        await Screenshots.SaveAsync(page, $"key-refused-{lang}");
        await page.CloseAsync();
    }

    [Fact]
    public async Task LiveFeed_KeyRefused_SaysTheScreensKeyIsNotValid()
    {
        var memberId = await EnrolledAsync();
        var page = await OpenAsync("lang=en");
        // The view is served; the event stream is refused, as when the key is revoked while a member is shown.
        await page.RouteAsync("**/api/members/*/events*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 401,
            ContentType = "application/json",
            Body = """{"error":"revoked","reason":"API_KEY_REVOKED"}""",
        }));
        await page.RouteAsync("**/api/members/*/view*", async route =>
        {
            // The first view (the scan) is served; the page's check after the refused feed is refused too.
            if (Interlocked.Increment(ref _views) == 1)
            {
                await route.ContinueAsync();
                return;
            }

            await route.FulfillAsync(new RouteFulfillOptions { Status = 401, ContentType = "application/json", Body = """{"error":"revoked","reason":"API_KEY_REVOKED"}""" });
        });

        await ScanAsync(page, memberId);

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "key");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("API_KEY_REVOKED");
        await page.CloseAsync();
    }

    [Theory]
    [InlineData("en", 1280, 720, "Points balance", "Regular", "more for Silver")]
    [InlineData("zh-CN", 1920, 1080, "积分余额", "普卡", "升级银卡")]
    public async Task Open_Language_EveryTextInThatLanguageAndFits(string lang, int width, int height, string balanceLabel, string tier, string toNext)
    {
        var memberId = await EnrolledAsync();
        await PurchaseAsync(memberId, 88_00);
        var page = await OpenAsync($"store=S001&lang={lang}", width, height);

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, $"attract-{lang}-{width}x{height}");
        // A card's QR payload.
        await ScanAsync(page, "MG:" + memberId);

        await Expect(page.GetByTestId("member")).ToContainTextAsync(balanceLabel);
        await Expect(page.GetByTestId("tier")).ToHaveTextAsync(tier);
        await Expect(page.GetByTestId("tier-next")).ToContainTextAsync(toNext);
        // Enrolled without consent to personalisation: the screen says personal offers are off.
        await Expect(page.GetByTestId("consent-note")).ToBeVisibleAsync();
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, $"member-{lang}-{width}x{height}");
        await page.CloseAsync();
    }

    [Fact]
    public async Task ClickLanguage_WhileMemberShown_RedrawsInEnglishAndKeepsItInTheAddress()
    {
        var memberId = await EnrolledAsync();
        var page = await OpenAsync("store=S001");
        // A phone's QR code that is a link.
        await ScanAsync(page, $"https://shop.example/m?member={memberId}");
        await Expect(page.GetByTestId("tier")).ToHaveTextAsync("普卡");

        await page.GetByTestId("lang-en").ClickAsync();

        await Expect(page.GetByTestId("tier")).ToHaveTextAsync("Regular");
        await Expect(page.GetByTestId("greeting")).ToHaveTextAsync("Welcome to the club!");
        Assert.Contains("lang=en", page.Url, StringComparison.Ordinal);
        await Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task LiveFeed_Lost_DimsAndSaysReconnectingThenCatchesUpOnReconnect()
    {
        var memberId = await EnrolledAsync();
        var page = await OpenAsync("store=S001&stale=5");
        // Every attempt to open the feed fails, as when the network or the silo is gone.
        await page.RouteAsync("**/api/members/*/events*", route => route.AbortAsync());
        await ScanAsync(page, memberId);
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("100");

        await Expect(page.GetByTestId("lost-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("lost-banner")).ToHaveTextAsync("连接中断，正在重连…");
        await Expect(page.Locator("body")).ToHaveClassAsync(new Regex("\\bstale\\b"));
        await Screenshots.SaveAsync(page, "connection-lost-zh-CN");
        // A purchase while the screen can't hear about it.
        var bought = await PurchaseAsync(memberId, 50_00);
        await page.UnrouteAllAsync();

        await Expect(page.GetByTestId("balance")).ToHaveTextAsync(Points(bought.Receipt.Balance));
        await Expect(page.GetByTestId("lost-banner")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("live")).ToHaveTextAsync("实时");
        await page.CloseAsync();
    }

    [Fact]
    public async Task MemberShown_NoActivityForIdleSeconds_ReturnsToScan()
    {
        var memberId = await EnrolledAsync();
        var page = await OpenAsync("idle=5");
        await ScanAsync(page, memberId);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "member");

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "attract");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-live", "off");
        await page.CloseAsync();
    }

    /// <summary>
    /// The seeded baby-formula buyer as the server sends them (nothing injected): the reminder by the
    /// program's name for its category, the buy-6 gift offer and the habit tag, fitting the screen.
    /// </summary>
    [Theory]
    [InlineData("zh-CN", 1920, 1080, "婴儿奶粉", "奶粉买6罐赠婴儿洗护套装", "奶粉妈妈")]
    [InlineData("en", 1920, 1080, "Baby formula", "Buy 6 cans of baby formula, get a baby bath set", "Baby-formula parent")]
    [InlineData("en", 1280, 720, "Baby formula", "Buy 6 cans of baby formula, get a baby bath set", "Baby-formula parent")]
    public async Task Scan_DemoBabyFormulaBuyer_ShowsRealReminderGiftOfferAndTagAndFits(string lang, int width, int height, string reminder, string gift, string tag)
    {
        var page = await OpenAsync($"store={DemoMembers.StoreId}&lang={lang}", width, height);

        await ScanAsync(page, "DEMO0004");

        await Expect(page.GetByTestId("reminder").GetByText(reminder, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("reminder").Filter(new() { HasText = reminder })).ToContainTextAsync(lang == "en" ? "Usually every 14 days" : "通常每14天购买一次");
        await Expect(page.GetByTestId("offer").Filter(new() { HasText = gift })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tags")).ToContainTextAsync(tag);
        await Expect(page.GetByTestId("consent-note")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("live")).ToHaveTextAsync(lang == "en" ? "Live" : "实时");
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, $"member-DEMO0004-{lang}-{width}x{height}");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Scan_DemoMemberAtRisk_ShowsWinBackCouponFromTheWallet()
    {
        var page = await OpenAsync($"store={DemoMembers.StoreId}&lang=en");

        await ScanAsync(page, "DEMO0002");

        var coupon = page.GetByTestId("offer").Filter(new() { HasText = "Welcome back: 20 CNY off 100" });
        await Expect(coupon.GetByTestId("coupon")).ToHaveTextAsync("Coupon in your wallet");
        await Expect(page.GetByTestId("greeting")).ToHaveTextAsync("We've missed you");
        await AssertFitsAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Scan_DemoMemberWithoutConsent_ShowsConsentNoteAndNoReminders()
    {
        var page = await OpenAsync($"store={DemoMembers.StoreId}&lang=zh-CN");

        await ScanAsync(page, "DEMO0005");

        await Expect(page.GetByTestId("consent-note")).ToContainTextAsync("您尚未开启个性化推荐");
        await Expect(page.GetByTestId("offers")).Not.ToContainTextAsync("奶粉买6罐");
        // Shown only once the view is: the member has the same purchases as DEMO0004.
        await Expect(page.GetByTestId("reminder")).ToHaveCountAsync(0);
        await Expect(page.Locator("#reminders-block")).ToBeHiddenAsync();
        await Expect(page.Locator("#tags-block")).ToBeHiddenAsync();
        await AssertFitsAsync(page);
        await page.CloseAsync();
    }

    /// <summary>
    /// A crowded view the demo members never produce: eight offers (the dense layout), offers that
    /// start later today and tomorrow (the program's schedules make those only at some hours and
    /// days), a reminder whose category the program does not name, and expiring points. So the
    /// member's real view is fetched and these are injected into it, with no live feed that would
    /// replace it.
    /// </summary>
    [Theory]
    [InlineData("zh-CN", 6, 1920, 1080)]
    [InlineData("en", 8, 1280, 720)]
    public async Task Scan_CrowdedView_LaterOffersSayWhenTheyStartAndCardsFit(string lang, int offers, int width, int height)
    {
        var memberId = await EnrolledAsync(personalisation: true);
        await PurchaseAsync(memberId, 770_00);
        var page = await fixture.OpenAsync($"store=S001&lang={lang}", width, height);
        await page.RouteAsync("**/api/members/*/view*", async route =>
        {
            var response = await route.FetchAsync();
            var view = JsonNode.Parse(await response.TextAsync())!.AsObject();
            Enrich(view, offers);
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = view.ToJsonString() });
        });
        await page.RouteAsync("**/api/members/*/events*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/event-stream",
            Body = "retry: 600000\nevent: heartbeat\ndata: {\"version\":\"0\"}\n\n",
        }));

        await ScanAsync(page, memberId);

        await Expect(page.GetByTestId("offer")).ToHaveCountAsync(offers);
        await Expect(page.GetByTestId("coupon")).ToHaveCountAsync(offers >= 8 ? 3 : 1);
        await Expect(page.GetByTestId("reminder")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("reminder").First).ToContainTextAsync(
            lang == "en" ? "Baby formulaDue in 2 daysUsually every 14 days, last bought 12 days ago" : "婴儿奶粉约2天后通常每14天购买一次，上次购买是12天前");
        // No name sent: the category as it is.
        await Expect(page.GetByTestId("reminder").Nth(2)).ToContainTextAsync("fresh milk");
        await Expect(page.GetByTestId("offer-from")).ToHaveTextAsync(
            lang == "en" ? new[] { "From 18:00 to 22:00", "From tomorrow" } : new[] { "18:00 起，22:00 止", "明天起" });
        await Expect(page.GetByTestId("offer").Filter(new() { Has = page.GetByTestId("offer-from") }).Locator(".chip.soon")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("expiring")).ToContainTextAsync(lang == "en" ? "1,200 points expire on" : "1,200 积分将于");
        await Expect(page.GetByTestId("offers")).ToContainTextAsync(lang == "en" ? "Coupon in your wallet" : "券已在您的卡包");
        await Expect(page.GetByTestId("consent-note")).ToBeHiddenAsync();
        await AssertFitsAsync(page);
        await Screenshots.SaveAsync(page, $"member-offers-{lang}-{width}x{height}");
        await page.CloseAsync();
    }

    private async Task<IPage> OpenAsync(string query, int width = 1920, int height = 1080)
    {
        var page = await fixture.OpenAsync(query, width, height);
        // A script error anywhere fails the test.
        page.PageError += (_, error) => Assert.Fail($"The page threw: {error}");
        await Expect(page.GetByTestId("scan-input")).ToBeFocusedAsync();
        return page;
    }

    /// <summary>What a scanner does: types the code into the focused page and presses Enter.</summary>
    private static async Task ScanAsync(IPage page, string code)
    {
        await page.Keyboard.TypeAsync(code);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>Nothing scrolls and every visible card lies inside the screen.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>(
            """
            () => {
              const problems = [];
              const root = document.documentElement;
              if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) problems.push(`page ${root.scrollWidth}x${root.scrollHeight}`);
              const main = document.querySelector('main').getBoundingClientRect();
              const cards = document.querySelectorAll('.member-left > *, .member-right > *, .offer, .reminder, .message-card, .attract-copy, .benefits li');
              for (const card of cards) {
                if (!card.offsetParent) continue;
                const box = card.getBoundingClientRect();
                if (box.bottom > main.bottom + 1 || box.right > main.right + 1 || box.top < main.top - 1) {
                  problems.push(`${card.className || card.tagName} at ${Math.round(box.top)}-${Math.round(box.bottom)} outside ${Math.round(main.top)}-${Math.round(main.bottom)}`);
                }
              }
              for (const card of document.querySelectorAll('.tier-card, .points-card')) {
                if (card.offsetParent && card.scrollHeight > card.clientHeight + 1) problems.push(`${card.className} cut off`);
              }
              return problems;
            }
            """);
        Assert.Empty(problems);
    }

    private async Task<string> EnrolledAsync(bool personalisation = false)
    {
        var memberId = NewMemberId();
        await fixture.Pos.EnrollMemberAsync(
            new EnrollMemberRequest { MemberId = memberId, RequestId = $"enroll-{Guid.NewGuid():N}", PersonalisationConsent = personalisation },
            cancellationToken: Ct);
        return memberId;
    }

    private async Task<AccrueResponse> PurchaseAsync(string memberId, long totalFen) =>
        await fixture.Pos.AccrueAsync(
            new AccrueRequest
            {
                MemberId = memberId,
                RequestId = $"S001-T01-{Guid.NewGuid():N}",
                StoreId = "S001",
                TerminalId = "T01",
                TotalFen = totalFen,
                Lines = { new PurchaseLine { Sku = "SKU-1", Category = "grocery", Quantity = 1, AmountFen = totalFen } },
            },
            cancellationToken: Ct);

    /// <summary>A member number as a card carries one, "M" and twelve digits, new each time.</summary>
    private static string NewMemberId() =>
        "M" + (BitConverter.ToUInt64(Guid.NewGuid().ToByteArray(), 0) % 1_000_000_000_000).ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Points as both languages write them: 12,345.</summary>
    private static string Points(long points) => points.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Adds <paramref name="offers"/> offers (two of them starting later), three reminders (the last without a name), tags and expiring points.</summary>
    private static void Enrich(JsonObject view, int offers)
    {
        static string Rfc3339(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // The view as of 09:00 today where the browser stands (Shanghai): one offer starts at 18:00 and
        // ends at 22:00, another tomorrow.
        var shanghai = TimeSpan.FromHours(8);
        var today = DateTimeOffset.UtcNow.ToOffset(shanghai).Date;
        var asOf = new DateTimeOffset(today.AddHours(9), shanghai);
        var until = Rfc3339(asOf.AddDays(9));
        view["asOf"] = Rfc3339(asOf);
        view["expiringSoon"] = new JsonObject { ["points"] = "1200", ["firstExpiresAt"] = until };
        JsonObject Later(JsonObject offer, DateTimeOffset from, DateTimeOffset? ends)
        {
            offer["availableFrom"] = Rfc3339(from);
            offer["validUntil"] = ends is { } end ? Rfc3339(end) : null;
            return offer;
        }

        JsonObject Offer(string id, string en, string zh, string reasonEn, string reasonZh, string code, string kind, long fen, bool coupon, bool ends) => new()
        {
            ["offerId"] = id,
            ["title"] = new JsonObject { ["en"] = en, ["zhCn"] = zh },
            ["reason"] = new JsonObject { ["en"] = reasonEn, ["zhCn"] = reasonZh },
            ["reasonCode"] = code,
            ["kind"] = kind,
            ["valueFen"] = fen.ToString(CultureInfo.InvariantCulture),
            ["validUntil"] = ends ? until : null,
            ["couponId"] = coupon ? "C-" + id : string.Empty,
        };
        JsonObject[] all =
        [
            Offer("o1", "Spend 200 save 50", "满200减50", "Welcome: your first order within 7 days", "新会员专享：7天内首单可用", "NEW_MEMBER", "AMOUNT_OFF", 5000, true, true),
            Offer("o2", "Baby formula: buy 6 cans get 1 free", "婴儿奶粉 买6罐赠1罐", "You buy baby formula every two weeks", "您每两周购买一次婴儿奶粉", "AFFINITY", "BUY_X_GET_Y", 26800, false, true),
            Later(
                Offer("o3", "Happy hour: double points on fresh food", "欢乐时段 生鲜双倍积分", "Fresh food theme evening", "生鲜主题夜", "THEME_DAY", "POINTS_MULTIPLIER", 800, false, false),
                asOf.AddHours(9),
                asOf.AddHours(13)),
            Later(
                Offer("o4", "Member day: 10% off household", "会员日 家居9折", "Every month on the 10th", "每月10日会员日", "MEMBER_DAY", "PERCENT_OFF", 1500, false, true),
                asOf.AddHours(15),
                null),
            Offer("o5", "Silver members: 300 bonus points", "银卡会员 赠300积分", "Thanks for shopping with us", "感谢您的支持", "TIER", "BONUS_POINTS", 300, false, false),
            Offer("o6", "Invite 3 friends, get a ¥20 coupon", "邀请3位好友 得20元券", "Referral reward", "推荐有礼", "REFERRAL", "COUPON", 2000, false, true),
            Offer("o7", "Wednesday household: spend 150 save 20", "周三家居日 满150减20", "Household theme day", "家居主题日", "THEME_DAY", "AMOUNT_OFF", 2000, true, true),
            Offer("o8", "Birthday week: double points and a cake", "生日周 双倍积分+蛋糕券", "Happy birthday from all of us", "祝您生日快乐", "BIRTHDAY", "COUPON", 3800, true, true),
        ];
        view["offers"] = new JsonArray([.. all.Take(offers)]);
        JsonObject Reminder(string category, string? en, string? zh, int every, int since) => new()
        {
            ["category"] = category,
            ["usualIntervalDays"] = every,
            ["daysSinceLast"] = since,
            ["dueInDays"] = every - since,
            ["name"] = en is null ? null : new JsonObject { ["en"] = en, ["zhCn"] = zh },
        };
        view["reminders"] = new JsonArray(
            Reminder("baby formula", "Baby formula", "婴儿奶粉", 14, 12),
            Reminder("laundry liquid", "Laundry liquid", "洗衣液", 30, 33),
            Reminder("fresh milk", null, null, 5, 1));
        view["affinityTags"] = new JsonArray(
            new JsonObject { ["en"] = "Fresh food regular", ["zhCn"] = "生鲜常客" },
            new JsonObject { ["en"] = "Young family", ["zhCn"] = "母婴家庭" },
            new JsonObject { ["en"] = "Eco shopper", ["zhCn"] = "环保达人" });
    }
}
