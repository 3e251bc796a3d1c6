using System.Reflection;
using MemberGrains.Abstractions;
using MemberGrains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The domain's commands carry only Orleans' attributes; their serializers are generated in
/// MemberGrains.Abstractions. These tests prove that generated code is found and complete (every
/// member survives a trip through Orleans' serializer) and that a command is never deep-copied
/// when a grain is called in-process. No cluster: the serializer alone.
/// </summary>
public sealed class CommandSerializationTests
{
    private static readonly DateTimeOffset At = new(2024, 11, 11, 20, 15, 30, TimeSpan.FromHours(8));

    private static readonly PurchaseLine[] Lines =
    [
        new("SKU-1", "grocery", 2, 1_990),
        new("SKU-2", "生鲜", 1, 12_345, Promoted: true),
    ];

    /// <summary>One of each command, every member set to something other than its default.</summary>
    public static TheoryData<object> Commands() =>
    [
        new EnrollCommand("M1001", "enrol-1", new DateOnly(1990, 6, 11), "上海01", MarketingConsent: true, PersonalisationConsent: true),
        new AccrueCommand("buy-1", "S001", "T01", 14_335, Lines, At, ["C-1", "C-2"]),
        new ReserveCommand("res-1", "S001", "T01", 500, TimeSpan.FromMinutes(7), BasketFen: 9_900),
        new CaptureCommand("cap-1", "S001", "T01", "H-1", 300, ApprovedBy: "staff-7"),
        new ReleaseCommand("rel-1", "S001", "T01", "H-1"),
        new RefundCommand("ref-1", "S001", "T02", "buy-1", 1_990, At),
        new ActivityCommand("act-1", "S001", "T01", "review", "SKU-1", At),
        new QuoteCommand("S001", 14_335, Lines, 200, ["C-1"]),
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Serializer_EachCommand_RoundTripsEveryMember(object command)
    {
        using var services = Services();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<object>(serializer.SerializeToArray(command));

        Assert.IsType(command.GetType(), copy);
        Assert.NotSame(command, copy);
        Assert.Equivalent(command, copy, strict: true);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Copier_EachCommand_PassesTheSameInstance(object command)
    {
        using var services = Services();

        Assert.Same(command, services.GetRequiredService<DeepCopier>().Copy(command));
    }

    [Fact]
    public void DomainSerializableTypes_EveryConstructorParameter_HasItsOwnId()
    {
        // Orleans would give a record's parameter without [Id] an implicit one, and the round trip
        // above would still pass: a wire id must be chosen, never implied (it can't change later).
        var types = typeof(AccrueCommand).Assembly.GetTypes().Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null).ToList();

        Assert.NotEmpty(types);
        Assert.All(types, t =>
        {
            var parameters = t.GetConstructors().MaxBy(c => c.GetParameters().Length)!.GetParameters();
            var ids = parameters.Select(p => p.GetCustomAttribute<IdAttribute>()?.Id).ToList();
            Assert.True(ids.All(id => id is not null), $"{t.Name}: every parameter needs [Id(n)].");
            Assert.Equal(ids.Count, ids.Distinct().Count());
        });
    }

    [Fact]
    public void MemberGrain_EveryArgumentType_IsImmutable()
    {
        // A grain reference (a watcher) and text are never copied anyway.
        var arguments = typeof(IMemberGrain).GetMethods()
            .SelectMany(m => m.GetParameters())
            .Select(p => p.ParameterType)
            .Where(t => t != typeof(string) && !typeof(IAddressable).IsAssignableFrom(t))
            .Distinct()
            .ToList();

        Assert.NotEmpty(arguments);
        Assert.All(arguments, t => Assert.True(t.GetCustomAttribute<ImmutableAttribute>() is not null, $"{t.Name} is not [Immutable]: every call would deep-copy it."));
    }

    private static ServiceProvider Services() => new ServiceCollection().AddSerializer().BuildServiceProvider();
}
