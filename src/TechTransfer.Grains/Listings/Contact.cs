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
        // The rule the form states: at least one of the two (a malformed one has its own message already).
        if (string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(Email)) v.Fail("contact.phone", "phone-or-email");
        return name is null ? null : new Contact(name, phone, email);
    }
}
