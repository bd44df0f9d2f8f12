using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

/// <summary>Stored as JSON in OrleansStorage under state name "demand".</summary>
[GenerateSerializer, Alias("tt.DemandState")]
public sealed class DemandState : ListingState<DemandContent, DemandStatus>;
