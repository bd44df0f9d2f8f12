namespace TechTransfer.Vocabulary;

public enum OrganizationKind
{
    University,
    Institute,
    Enterprise,
    ServiceCenter,
    /// <summary>火炬中心: the national level.</summary>
    National,
}
