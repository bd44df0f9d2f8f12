namespace TechTransfer.Organizations;

/// <summary>Where an application to join stands: the center of the applicant's province decides.</summary>
public enum ApplicationStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// An organization's application to join (机构入驻申请), kept on the organization. Organizations the national level
/// registered have none. Until a center approves it the organization may sign in and prepare drafts, but not
/// publish, bid or add accounts (<see cref="Admission"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.OrganizationApplication")]
public sealed record OrganizationApplication(
    [property: Id(0)] string? Phone,
    [property: Id(1)] string? Email,
    [property: Id(2)] string ApplicantAccountId,
    [property: Id(3)] DateTimeOffset AppliedAt,
    [property: Id(4)] ApplicationStatus Status = ApplicationStatus.Pending,
    [property: Id(5)] string? Reason = null,
    [property: Id(6)] DateTimeOffset? DecidedAt = null,
    [property: Id(7)] string? DecidedBy = null);

/// <summary>The gate an applicant organization passes only once its center approved it.</summary>
public static class Admission
{
    /// <summary>Throws organization-not-admitted while the organization's application is pending or was rejected.</summary>
    public static async Task RequireAdmittedAsync(IGrainFactory grains, string organizationId)
    {
        var organization = await grains.GetGrain<IOrganizationGrain>(organizationId).GetAsync();
        if (organization?.Application is { Status: not ApplicationStatus.Approved })
            throw new Problems.ProblemException(Problems.ProblemCodes.NotAdmitted);
    }
}
