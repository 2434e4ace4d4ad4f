namespace K8sSharp.Kubelet.Runtime;

/// <summary>Image references as docker parses them: [registry/]repository[:tag][@digest].</summary>
internal static class ImageReference
{
    /// <summary>Repository and tag for a pull; a reference without tag or digest means :latest, a digest is kept whole.</summary>
    public static (string Repository, string Tag) Split(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Contains('@', StringComparison.Ordinal))
        {
            var at = image.IndexOf('@', StringComparison.Ordinal);
            return (image[..at], image[(at + 1)..]);
        }
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > lastSlash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>
    /// The status' imageID: <c>docker-pullable://repo@sha256:…</c> when the image came from a registry (it has a repo
    /// digest), else <c>docker://sha256:…</c> (a locally built or imported image), as the dockershim reported it.
    /// </summary>
    public static string StatusImageId(string imageId, IList<string>? repoDigests) =>
        repoDigests is { Count: > 0 } ? "docker-pullable://" + repoDigests[0] : "docker://" + imageId;
}
