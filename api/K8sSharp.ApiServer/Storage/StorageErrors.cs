namespace K8sSharp.ApiServer.Storage;

/// <summary>The <see cref="StorageException"/>s every backend throws, with the same wording everywhere.</summary>
internal static class StorageErrors
{
    public static StorageException NotFound(string key) =>
        new(StorageErrorKind.NotFound, key, $"key {key} not found");

    public static StorageException KeyExists(string key) =>
        new(StorageErrorKind.KeyExists, key, $"key {key} already exists");

    public static StorageException Conflict(string key, long expected, long actual) =>
        new(StorageErrorKind.Conflict, key,
            $"key {key} has mod revision {actual}, expected {expected}: the object has been modified")
        {
            ActualModRevision = actual,
        };

    /// <param name="compactedRevision">The oldest revision still available (0 when unknown).</param>
    public static StorageException Compacted(string key, long requested, long compactedRevision) =>
        new(StorageErrorKind.Compacted, key,
            $"revision {requested} for {key} has been compacted (oldest available: {compactedRevision})")
        {
            CompactedRevision = compactedRevision,
        };

    /// <summary>A read at a revision the store has not reached; retryable, like kube's "too large resource version".</summary>
    public static StorageException FutureRevision(string key, long requested, long current) =>
        new(StorageErrorKind.Unavailable, key, $"revision {requested} for {key} is newer than the current revision {current}");

    public static StorageException Unavailable(string key, string message) =>
        new(StorageErrorKind.Unavailable, key, message);
}
