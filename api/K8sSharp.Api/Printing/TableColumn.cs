namespace K8sSharp.Api.Printing;

/// <summary>
/// A <c>meta.k8s.io/v1 TableColumnDefinition</c>. <see cref="Priority"/> 0 columns are always shown by
/// kubectl, priority 1 only with <c>-o wide</c>; the server always sends every column and cell.
/// </summary>
/// <param name="Name">Header text, e.g. "Ready".</param>
/// <param name="Type">OpenAPI type hint: "string", "integer", "boolean", "date", ...</param>
/// <param name="Format">"name" for the column holding the object name, otherwise "".</param>
/// <param name="Description">Human-readable meaning, usually the field's API documentation.</param>
/// <param name="Priority">0 for default columns, 1 for wide-only columns.</param>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority);
