using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MemberGrains.Domain;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using MemberGrains.Silo.Screens;
using static MemberGrains.Abstractions.MemberGrainReferences;
using IMemberGrain = MemberGrains.Abstractions.IMemberGrain;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// The store-screen edge: read-only views of a member (no call here can change one), the live feed
/// of those views, and the points history read from the ledger. Errors become status codes in
/// <see cref="ErrorMappingInterceptor"/>.
/// </summary>
public sealed class StoreScreenService(IGrainFactory grains, ScreenFeed feed, LedgerReader ledger) : StoreScreen.StoreScreenBase
{
    /// <summary>History rows per page when the request leaves page_size at 0.</summary>
    public const int DefaultPageSize = 50;

    public override async Task<Protos.V1.MemberView> GetMemberView(GetMemberViewRequest request, ServerCallContext context)
    {
        var (memberId, storeId) = Target(request.MemberId, request.StoreId);
        return (await grains.Member(memberId).GetScreenViewAsync(storeId)).ToWire();
    }

    public override async Task WatchMember(WatchMemberRequest request, IServerStreamWriter<MemberViewUpdate> responseStream, ServerCallContext context)
    {
        var (memberId, storeId) = Target(request.MemberId, request.StoreId);
        var length = FeedLength(request.MaxSeconds);
        await foreach (var update in feed.WatchAsync(memberId, storeId, length, context.CancellationToken))
        {
            await responseStream.WriteAsync(update.ToWire(), context.CancellationToken);
        }
    }

    public override async Task<ListHistoryResponse> ListHistory(ListHistoryRequest request, ServerCallContext context)
    {
        var memberId = WireMapping.MemberId(request.MemberId);
        if (request.PageSize is < 0 or > LedgerReader.MaxPageSize)
        {
            throw DomainException.Invalid("page_size", string.Create(CultureInfo.InvariantCulture, $"page_size must be between 1 and {LedgerReader.MaxPageSize} (0 = {DefaultPageSize})."));
        }

        var before = long.MaxValue;
        if (request.PageToken.Length > 0 && (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out before) || before < 1))
        {
            throw DomainException.Invalid("page_token", "page_token must be empty or a next_page_token returned by ListHistory.");
        }

        var size = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        IReadOnlyList<StoredLedgerRow>? rows;
        try
        {
            rows = await ledger.ReadAsync(memberId, before, size, context.CancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            throw new MemberGrains.Abstractions.StorageUnavailableException("The points history could not be read from storage; nothing was changed. Retry.");
        }

        if (rows is null)
        {
            throw new MemberGrains.Abstractions.MemberOperationException(MemberGrains.Abstractions.RefusalKind.NotFound, "member_id", $"Member '{memberId}' is not enrolled.");
        }

        var response = new ListHistoryResponse
        {
            // A full page may be followed by more; a short one is the last.
            NextPageToken = rows.Count == size && rows[^1].Seq > 1 ? rows[^1].Seq.ToString(CultureInfo.InvariantCulture) : string.Empty,
        };
        response.Entries.AddRange(rows.Select(r => new HistoryEntry
        {
            Seq = r.Seq,
            OccurredAt = Timestamp.FromDateTimeOffset(r.OccurredAt),
            Reason = WireMapping.HistoryReason(r.Kind),
            Points = r.Points,
            BalanceAfter = r.BalanceAfter,
            RequestId = r.RequestId,
            StoreId = r.StoreId,
            ProgramVersion = r.ProgramVersion,
            OfferId = r.OfferId ?? string.Empty,
        }));
        return response;
    }

    /// <summary>The member a screen asks about (a card's QR payload carries the member number) and its store, checked.</summary>
    internal static (string MemberId, string? StoreId) Target(string memberId, string storeId)
    {
        var id = WireMapping.MemberId(ScreenInput.MemberNumber(memberId));
        var store = WireMapping.N(storeId);
        Validate.OptionalId("store_id", store);
        return (id, store.Length == 0 ? null : store);
    }

    /// <summary>How long a feed runs: max_seconds (0 = the default), at most an hour.</summary>
    internal static TimeSpan FeedLength(int maxSeconds)
    {
        if (maxSeconds < 0 || maxSeconds > ScreenFeed.MaxLength.TotalSeconds)
        {
            throw DomainException.Invalid("max_seconds", string.Create(CultureInfo.InvariantCulture, $"max_seconds must be between 1 and {ScreenFeed.MaxLength.TotalSeconds:0} (0 = {ScreenFeed.DefaultLength.TotalSeconds:0})."));
        }

        return maxSeconds == 0 ? ScreenFeed.DefaultLength : TimeSpan.FromSeconds(maxSeconds);
    }
}
