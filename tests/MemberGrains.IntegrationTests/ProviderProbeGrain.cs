namespace MemberGrains.IntegrationTests;

/// <summary>A grain that exercises the Orleans ADO.NET storage and reminder providers on our schema.</summary>
[Alias("membergrains.tests.IProviderProbeGrain")]
public interface IProviderProbeGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task WriteAsync(string value);

    [Alias("Read")]
    Task<string?> ReadAsync();

    [Alias("Clear")]
    Task ClearAsync();

    [Alias("Remind")]
    Task RemindAsync(string name);

    [Alias("Reminders")]
    Task<List<string>> RemindersAsync();

    [Alias("Forget")]
    Task ForgetAsync(string name);
}

/// <summary>State of <see cref="ProviderProbeGrain"/>.</summary>
[GenerateSerializer, Alias("membergrains.tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }
}

public sealed class ProviderProbeGrain([PersistentState("probe", "orleans")] IPersistentState<ProbeState> state) : Grain, IProviderProbeGrain, IRemindable
{
    public async Task WriteAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<string?> ReadAsync() => Task.FromResult(state.State.Value);

    public Task ClearAsync() => state.ClearStateAsync();

    public Task RemindAsync(string name) => this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<List<string>> RemindersAsync() => [.. (await this.GetReminders()).Select(r => r.ReminderName)];

    public async Task ForgetAsync(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
