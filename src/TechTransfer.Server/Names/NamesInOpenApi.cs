using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TechTransfer.Names;

/// <summary>
/// Marks an endpoint whose 200 answer is a view with one member added as JSON: "names" (<see cref="DisplayNames.WithNamesAsync"/>,
/// <paramref name="Extra"/> null) or another (e.g. a publish's "matching"). The body is built as JSON, so the document
/// learns its shape from here. <paramref name="Many"/>: an array of them. <paramref name="Also"/>: a record whose members
/// are written next to the view's (what a page shows beside it).
/// </summary>
public sealed record ViewWith(Type View, string Member, Type? Extra, bool Many = false, Type? Also = null);

public static class NamesInOpenApi
{
    /// <summary>The 200 answer is <typeparamref name="TView"/> plus "names" (id → name).</summary>
    public static RouteHandlerBuilder ProducesWithNames<TView>(this RouteHandlerBuilder endpoint, bool many = false) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), "names", null, many));

    /// <summary>The 200 answer is <typeparamref name="TView"/> plus "names" plus the members of <typeparamref name="TAlso"/>.</summary>
    public static RouteHandlerBuilder ProducesWithNames<TView, TAlso>(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), "names", null, Also: typeof(TAlso)));

    /// <summary>The 200 answer is <typeparamref name="TView"/> plus <paramref name="member"/> of type <typeparamref name="TExtra"/>.</summary>
    public static RouteHandlerBuilder ProducesWith<TView, TExtra>(this RouteHandlerBuilder endpoint, string member) =>
        endpoint.WithMetadata(new ViewWith(typeof(TView), member, typeof(TExtra)));

    /// <summary>Describes a <see cref="ViewWith"/> answer as the component "{View}With{Member}": the view's schema and the member.</summary>
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
                document.AddComponent(id, schema);
            }
            IOpenApiSchema reference = new OpenApiSchemaReference(id, document);
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = named.Many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = reference } : reference },
                },
            };
        }
    }
}
