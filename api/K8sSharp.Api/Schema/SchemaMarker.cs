namespace K8sSharp.Api.Schema;

/// <summary>Anchors the assembly that embeds the official OpenAPI documents.</summary>
public static class SchemaMarker;
