namespace K8sSharp.Api.Printing;

/// <summary>Shorthands for the column definitions every printer repeats.</summary>
internal static class Col
{
    public const string ContainersDoc = "Names of each container in the template.";
    public const string ImagesDoc = "Images referenced by each container in the template.";

    /// <summary>The object-name column (format "name", ObjectMeta.name documentation).</summary>
    public static readonly TableColumn Name = new("Name", "string", "name", ColumnDocs.Name, 0);

    /// <summary>The creation-age column (ObjectMeta.creationTimestamp documentation).</summary>
    public static readonly TableColumn Age = new("Age", "string", "", ColumnDocs.Age, 0);

    public static readonly TableColumn Containers = Str("Containers", ContainersDoc, 1);

    public static readonly TableColumn Images = Str("Images", ImagesDoc, 1);

    public static TableColumn Str(string name, string description, int priority = 0) =>
        new(name, "string", "", description, priority);

    public static TableColumn Int(string name, string description, int priority = 0) =>
        new(name, "integer", "", description, priority);

    public static TableColumn Bool(string name, string description, int priority = 0) =>
        new(name, "boolean", "", description, priority);
}
