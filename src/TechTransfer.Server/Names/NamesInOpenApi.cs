using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TechTransfer.Names;

/// <summary>
/// Marks an endpoint whose 200 answer is a view with one member added as JSON: "names" (<see cref="DisplayNames.WithNamesAsync"/>,
/// <paramref name="Extra"/> null) or another (e.g. a publish's "matching"). The body is built as JSON, so the document
/// learns its shape from here. <paramref name="Many"/>: an array of them. <paramref name="Also"/>: a record whose members
/// are written next to the view's (what a page shows beside it). <paramref name="ItemsOf"/>: the answer is that page
/// record, and it is its "items" that are such views.
/// </summary>
public sealed record ViewWith(Type View, string Member, Type? Extra, bool Many = false, Type? Also = null, Type? ItemsOf = null);

public static class NamesInOpenApi
{
    /// <summary>The 200 answer is <typeparamref name="TView"/> plus "names" (id → name).</summary>
    public static RouteHandlerBuilder ProducesWithNames<TView>(this RouteHandlerBuilder endpoint, bool many = false) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), "names", null, many));

    /// <summary>The 200 answer is <typeparamref name="TView"/> plus "names" plus the members of <typeparamref name="TAlso"/>.</summary>
    public static RouteHandlerBuilder ProducesWithNames<TView, TAlso>(this RouteHandlerBuilder endpoint, bool many = false) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), "names", null, many, typeof(TAlso)));

    /// <summary>The 200 answer is <typeparamref name="TPage"/>, its "items" each <typeparamref name="TView"/> plus "names" plus the members of <typeparamref name="TAlso"/>.</summary>
    public static RouteHandlerBuilder ProducesPageWithNames<TPage, TView, TAlso>(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), "names", null, Also: typeof(TAlso), ItemsOf: typeof(TPage)));

    /// <summary>The 200 answer is <typeparamref name="TView"/> plus <paramref name="member"/> of type <typeparamref name="TExtra"/>.</summary>
    public static RouteHandlerBuilder ProducesWith<TView, TExtra>(this RouteHandlerBuilder endpoint, string member) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), member, typeof(TExtra)));

    /// <summary>
    /// Describes a <see cref="ViewWith"/> answer as the component "{View}With{Member}[And{Also}]": the view's members
    /// and the added ones. Records inside it become references to their own components (DealFacts, Contact, …), so a
    /// generated client has one class per record rather than a numbered copy per view.
    /// </summary>
    public sealed class Transformer : IOpenApiOperationTransformer
    {
        public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ViewWith>().LastOrDefault() is not { } named) return;
            var document = context.Document!;
            var id = named.View.Name + "With" + char.ToUpperInvariant(named.Member[0]) + named.Member[1..]
                + (named.Also is { } also ? "And" + also.Name : "");
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            if (!document.Components.Schemas.ContainsKey(id))
            {
                var view = await context.GetOrCreateSchemaAsync(named.View, null, cancellationToken);
                var schema = (OpenApiSchema)view.CreateShallowCopy();
                var properties = new Dictionary<string, IOpenApiSchema>(view.Properties ?? new Dictionary<string, IOpenApiSchema>());
                schema.Properties = properties;
                properties[named.Member] = named.Extra is { } extra
                    ? await context.GetOrCreateSchemaAsync(extra, null, cancellationToken)
                    : new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
                        Description = "The names people read for the ids in this view (organizations, accounts, centers): id → name",
                    };
                var required = new HashSet<string>(view.Required ?? new HashSet<string>()) { named.Member };
                if (named.Also is { } besides)
                {
                    var beside = await context.GetOrCreateSchemaAsync(besides, null, cancellationToken);
                    foreach (var (name, member) in beside.Properties ?? new Dictionary<string, IOpenApiSchema>()) properties[name] = member;
                    required.UnionWith(beside.Required ?? new HashSet<string>());
                }
                schema.Required = required;
                foreach (var name in properties.Keys.ToList()) properties[name] = Referenced(properties[name], document);
                document.AddComponent(id, schema);
            }
            IOpenApiSchema reference = new OpenApiSchemaReference(id, document);
            IOpenApiSchema answer = named.Many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = reference } : reference;
            if (named.ItemsOf is { } page)
            {
                var pageId = page.Name + "WithNamedItems";
                if (!document.Components.Schemas.ContainsKey(pageId))
                {
                    var pageSchema = (OpenApiSchema)(await context.GetOrCreateSchemaAsync(page, null, cancellationToken)).CreateShallowCopy();
                    var members = new Dictionary<string, IOpenApiSchema>(pageSchema.Properties ?? new Dictionary<string, IOpenApiSchema>());
                    foreach (var name in members.Keys.ToList()) members[name] = Referenced(members[name], document);
                    members["items"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = reference };
                    pageSchema.Properties = members;
                    document.AddComponent(pageId, pageSchema);
                }
                answer = new OpenApiSchemaReference(pageId, document);
                document.Components.Schemas.Remove(page.Name); // the page as C# declares it (bare items), answered by no operation now
            }
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = answer } },
            };
        }

        /// <summary>
        /// A record's schema (ASP.NET marks it with its component id, "x-schema-id") as a reference to that component,
        /// added if missing; arrays, nullable wrappers and dictionaries are followed.
        /// </summary>
        static IOpenApiSchema Referenced(IOpenApiSchema schema, OpenApiDocument document)
        {
            if (schema is not OpenApiSchema inline) return schema;
            var copy = (OpenApiSchema)inline.CreateShallowCopy();
            if (copy.Properties is { Count: > 0 } properties)
                copy.Properties = properties.ToDictionary(p => p.Key, p => Referenced(p.Value, document));
            if (copy.Items is not null) copy.Items = Referenced(copy.Items, document);
            if (copy.AdditionalProperties is not null) copy.AdditionalProperties = Referenced(copy.AdditionalProperties, document);
            if (copy.OneOf is { Count: > 0 } oneOf) copy.OneOf = [.. oneOf.Select(o => Referenced(o, document))];
            if (copy.AnyOf is { Count: > 0 } anyOf) copy.AnyOf = [.. anyOf.Select(o => Referenced(o, document))];
            if (copy.Metadata?.TryGetValue("x-schema-id", out var value) != true || value is not string id || id.Length == 0
                || (copy.Properties?.Count ?? 0) == 0 && copy.Enum is not { Count: > 0 }) return copy;
            if (!document.Components!.Schemas!.ContainsKey(id)) document.AddComponent(id, copy);
            return new OpenApiSchemaReference(id, document);
        }
    }
}
