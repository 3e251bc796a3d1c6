using Grpc.Core;
using static MemberGrains.Abstractions.MemberGrainReferences;
using IMemberGrain = MemberGrains.Abstractions.IMemberGrain;
using MemberGrains.Protos.V1;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// The POS edge: maps each call onto the member's grain through the in-process grain factory.
/// Errors are turned into status codes by <see cref="ErrorMappingInterceptor"/>.
/// </summary>
public sealed class PointOfSaleService(IGrainFactory grains) : PointOfSale.PointOfSaleBase
{
    public override async Task<EnrollMemberResponse> EnrollMember(EnrollMemberRequest request, ServerCallContext context)
    {
        var memberId = WireMapping.MemberId(request.MemberId);
        var receipt = await grains.GetGrain<IMemberGrain>(memberId).EnrollAsync(request.ToCommand(memberId));
        return new EnrollMemberResponse { Receipt = receipt.ToWire() };
    }

    public override async Task<Member> GetMember(GetMemberRequest request, ServerCallContext context)
    {
        var member = Member(request.MemberId);
        var snapshot = request.IncludeLotsAndHolds ? await member.GetAsync() : await member.GetSummaryAsync();
        return snapshot.ToWire(request.IncludeLotsAndHolds);
    }

    public override async Task<AccrueResponse> Accrue(AccrueRequest request, ServerCallContext context)
    {
        var receipt = await Member(request.MemberId).AccrueAsync(request.ToCommand());
        return new AccrueResponse { Receipt = receipt.ToWire() };
    }

    public override async Task<ReserveRedemptionResponse> ReserveRedemption(ReserveRedemptionRequest request, ServerCallContext context)
    {
        var receipt = await Member(request.MemberId).ReserveAsync(request.ToCommand());
        return new ReserveRedemptionResponse
        {
            Receipt = receipt.ToWire(),
            HoldId = receipt.HoldId ?? string.Empty,
            HoldExpiresAt = receipt.HoldExpiresAt is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
        };
    }

    public override async Task<CaptureRedemptionResponse> CaptureRedemption(CaptureRedemptionRequest request, ServerCallContext context)
    {
        var receipt = await Member(request.MemberId).CaptureAsync(request.ToCommand());
        return new CaptureRedemptionResponse { Receipt = receipt.ToWire() };
    }

    public override async Task<ReleaseRedemptionResponse> ReleaseRedemption(ReleaseRedemptionRequest request, ServerCallContext context)
    {
        var receipt = await Member(request.MemberId).ReleaseAsync(request.ToCommand());
        return new ReleaseRedemptionResponse { Receipt = receipt.ToWire() };
    }

    public override async Task<RefundResponse> Refund(RefundRequest request, ServerCallContext context)
    {
        var receipt = await Member(request.MemberId).RefundAsync(request.ToCommand());
        return new RefundResponse { Receipt = receipt.ToWire() };
    }

    public override async Task<RecordActivityResponse> RecordActivity(RecordActivityRequest request, ServerCallContext context)
    {
        var member = Member(request.MemberId);
        var receipt = await member.RecordActivityAsync(request.ToCommand());
        return new RecordActivityResponse { Receipt = receipt.ToWire() };
    }

    public override async Task<QuoteCheckoutResponse> QuoteCheckout(QuoteCheckoutRequest request, ServerCallContext context)
    {
        var member = Member(request.MemberId);
        return (await member.QuoteCheckoutAsync(request.ToCommand())).ToWire();
    }

    private IMemberGrain Member(string memberId) => grains.Member(WireMapping.MemberId(memberId));
}
