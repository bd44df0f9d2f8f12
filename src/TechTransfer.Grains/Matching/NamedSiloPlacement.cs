using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace TechTransfer.Matching;

/// <summary>
/// Places a grain on the silo its key names (<see cref="SiloAddress.ToParsableString"/>): a host's own grain, such as
/// <see cref="SearchHostGrain"/>. When that silo is gone, placement fails and the caller picks another host.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("tt.NamedSiloPlacement")]
public sealed class NamedSiloPlacement : PlacementStrategy
{
    public static readonly NamedSiloPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class)]
public sealed class NamedSiloPlacementAttribute() : PlacementAttribute(NamedSiloPlacement.Instance);

public sealed class NamedSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silo = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString()!);
        if (!context.GetCompatibleSilos(target).Contains(silo))
            throw new OrleansException($"silo {silo} is not in the cluster (any more); {target.GrainIdentity} cannot be placed elsewhere");
        return Task.FromResult(silo);
    }
}
