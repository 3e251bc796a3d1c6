using System.Text.Json;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests;

/// <summary>Builds commands with harmless defaults so each test only states what matters to it.</summary>
internal static class Cmd
{
    public const string Store = "S-001";
    public const string Terminal = "T-01";

    public static EnrollCommand Enroll(string memberId = "m-1", string requestId = "enroll-1", DateOnly? birthday = null, bool personalisationConsent = false) =>
        new(memberId, requestId, birthday, Store, false, personalisationConsent);

    public static AccrueCommand Purchase(string requestId, long totalFen) =>
        new(requestId, Store, Terminal, totalFen, [new PurchaseLine("SKU-1", "food", 1, totalFen)]);

    public static AccrueCommand Purchase(string requestId, long totalFen, params PurchaseLine[] lines) =>
        new(requestId, Store, Terminal, totalFen, lines);

    public static ReserveCommand Reserve(string requestId, long points, TimeSpan? holdFor = null) =>
        new(requestId, Store, Terminal, points, holdFor);

    public static CaptureCommand Capture(string requestId, string holdId, long points = 0) =>
        new(requestId, Store, Terminal, holdId, points);

    public static ReleaseCommand Release(string requestId, string holdId) =>
        new(requestId, Store, Terminal, holdId);

    public static RefundCommand Refund(string requestId, string originalRequestId, long amountFen = 0) =>
        new(requestId, Store, Terminal, originalRequestId, amountFen);
}

/// <summary>An enrolled member plus every ledger row drained from it so far.</summary>
internal sealed class TestMember
{
    /// <summary>2025-03-10 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 2, 0, 0, TimeSpan.Zero);

    private TestMember(MemberAccount account, Receipt enrollReceipt)
    {
        Account = account;
        EnrollReceipt = enrollReceipt;
    }

    public MemberAccount Account { get; }

    public Receipt EnrollReceipt { get; }

    public MemberState State => Account.State;

    /// <summary>All ledger rows drained so far, in order.</summary>
    public List<LedgerEntry> Ledger { get; } = [];

    public static TestMember Enroll(DateTimeOffset? at = null, AccountLimits? limits = null, IProgramCatalog? programs = null, DateOnly? birthday = null, bool personalisationConsent = false, string memberId = "m-1")
    {
        var (account, receipt) = MemberAccount.Enroll(Cmd.Enroll(memberId, birthday: birthday, personalisationConsent: personalisationConsent), programs ?? TestPrograms.FlatCatalog(), limits ?? AccountLimits.Default, at ?? T0);
        var member = new TestMember(account, receipt);
        member.Drain();
        return member;
    }

    /// <summary>All events drained so far, in order.</summary>
    public List<MemberEvent> Events { get; } = [];

    /// <summary>All offer uses drained so far, in order.</summary>
    public List<MemberGrains.Domain.Offers.OfferUse> OfferUses { get; } = [];

    /// <summary>Drains the pending ledger rows (and events and offer uses), keeps them and returns the ledger rows.</summary>
    public IReadOnlyList<LedgerEntry> Drain()
    {
        var rows = Account.DrainLedger();
        Ledger.AddRange(rows);
        Events.AddRange(Account.DrainEvents());
        OfferUses.AddRange(Account.DrainOfferUses());
        return rows;
    }

    public Outcome Accrue(string requestId, long totalFen, DateTimeOffset now) => Account.Accrue(Cmd.Purchase(requestId, totalFen), now);

    public Outcome Reserve(string requestId, long points, DateTimeOffset now, TimeSpan? holdFor = null) =>
        Account.Reserve(Cmd.Reserve(requestId, points, holdFor), now);

    public Outcome Capture(string requestId, string holdId, DateTimeOffset now, long points = 0) =>
        Account.Capture(Cmd.Capture(requestId, holdId, points), now);

    public Outcome Release(string requestId, string holdId, DateTimeOffset now) => Account.Release(Cmd.Release(requestId, holdId), now);

    public Outcome Refund(string requestId, string originalRequestId, DateTimeOffset now, long amountFen = 0) =>
        Account.Refund(Cmd.Refund(requestId, originalRequestId, amountFen), now);

    public string Snapshot() => JsonSerializer.Serialize(Account.State);

    /// <summary>
    /// Runs an operation that must be refused with <paramref name="kind"/> on <paramref name="field"/>,
    /// and checks that it changed nothing: same serialised state, no ledger rows.
    /// </summary>
    public DomainException AssertRejected(ErrorKind kind, string field, Action<MemberAccount> operation)
    {
        Drain();
        var before = Snapshot();
        var error = Assert.Throws<DomainException>(() => operation(Account));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Equal(before, Snapshot());
        Assert.Empty(Account.DrainLedger());
        Assert.Empty(Account.DrainEvents());
        Assert.Empty(Account.DrainOfferUses());
        return error;
    }

    /// <summary>Sum of the signed points of every ledger row drained so far.</summary>
    public long LedgerSum() => Ledger.Sum(r => r.Points);
}
