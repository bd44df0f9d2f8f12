using System.Reflection;
using TechTransfer.Achievements;

namespace TechTransfer.Tests.Cluster;

/// <summary>
/// Silos of two builds call each other during a rolling upgrade. A grain interface or method is known on the wire by
/// its [Alias] (without one, by a name and a hash of its signature that a rename or a moved namespace changes), so every
/// one carries a stable alias, and no two methods of an interface share one.
/// </summary>
public sealed class GrainContractTests
{
    static readonly Type[] Contracts = [.. typeof(IAchievementGrain).Assembly.GetTypes()
        .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))];

    [Fact]
    public void Every_grain_interface_and_method_has_a_stable_alias()
    {
        Assert.True(Contracts.Length >= 15, $"{Contracts.Length} grain interfaces found");
        var missing = Contracts.Where(t => t.GetCustomAttribute<AliasAttribute>() is null).Select(t => t.Name)
            .Concat(Contracts.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttribute<AliasAttribute>() is null).Select(m => $"{t.Name}.{m.Name}")))
            .ToList();
        Assert.Empty(missing);
        Assert.All(Contracts, t => Assert.Equal(
            t.GetMethods().Length,
            t.GetMethods().Select(m => m.GetCustomAttribute<AliasAttribute>()!.Alias).Distinct().Count()));
        Assert.Equal(Contracts.Length, Contracts.Select(t => t.GetCustomAttribute<AliasAttribute>()!.Alias).Distinct().Count());
    }
}
