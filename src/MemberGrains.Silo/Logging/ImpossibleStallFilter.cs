using System.Diagnostics;

namespace MemberGrains.Silo.Logging;

/// <summary>
/// Wraps a logger provider to drop one false alarm: at start-up Orleans' watchdog (10.x) can check
/// its participant thread before that thread's stopwatch is set, and warns "Participant check
/// thread has not completed for …" with the machine's uptime. A stall longer than this process
/// has been alive is impossible, so exactly those warnings are dropped; a real stall is still logged.
/// </summary>
internal sealed class ImpossibleStallFilter(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";

    private static readonly DateTime ProcessStarted = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return string.Equals(categoryName, WatchdogCategory, StringComparison.Ordinal) ? new Filtered(logger) : logger;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every registered logger provider with this filter around it.</summary>
    public static void WrapProviders(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var original = services[i];
            if (original.ServiceType != typeof(ILoggerProvider) || original.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new ImpossibleStallFilter(Create(sp, original)));
        }
    }

    /// <summary>True for a stall reported as longer than this process has lived.</summary>
    internal static bool IsImpossibleStall<TState>(TState state, DateTime now)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return false;
        }

        var alive = now - ProcessStarted;
        foreach (var (_, value) in values)
        {
            if (value is TimeSpan reported && reported > alive)
            {
                return true;
            }
        }

        return false;
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ILoggerProvider
        ?? descriptor.ImplementationFactory?.Invoke(services) as ILoggerProvider
        ?? (ILoggerProvider)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && IsImpossibleStall(state, DateTime.UtcNow))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
