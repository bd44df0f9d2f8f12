using TechTransfer.Problems;

namespace TechTransfer.Listings;

/// <summary>A listing's private contact: shown only to its own organization (and, later, to matched parties who both agreed).</summary>
[GenerateSerializer, Immutable, Alias("tt.Contact")]
public sealed record Contact(string Name, string? Phone, string? Email);

/// <summary>The contact as it arrives in a request body.</summary>
public sealed record ContactInput(string? Name, string? Phone, string? Email)
{
    public Contact? Validate(Validation v)
    {
        var name = v.Text("contact.name", Name, 50);
        var phone = v.Phone("contact.phone", Phone);
        var email = v.Email("contact.email", Email);
        if (phone is null && email is null) v.Fail("contact.phone", "required");
        return name is null ? null : new Contact(name, phone, email);
    }
}
