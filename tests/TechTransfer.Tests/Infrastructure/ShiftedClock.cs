using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>
/// The real clock moved ahead by <see cref="Ahead"/>: time keeps running (reminders and timers fire as usual) while
/// a test jumps days or months forward. Registered as the hosts' TimeProvider before AddGrainServices' default.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    long aheadTicks;

    public TimeSpan Ahead
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref aheadTicks));
        set => Interlocked.Exchange(ref aheadTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Ahead;

    /// <summary>In-process silos are built from a configurator type, so the clock they share is static.</summary>
    public static readonly ShiftedClock Shared = new();

    public sealed class SiloConfig : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Shared));
    }
}
