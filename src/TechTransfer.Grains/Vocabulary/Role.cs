namespace TechTransfer.Vocabulary;

/// <summary>What an account may do, beyond being a member of its organization.</summary>
public enum Role
{
    Member,
    OrganizationAdmin,
    Broker,
    CenterAdmin,
    NationalAdmin,
}
