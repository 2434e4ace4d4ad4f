using System.Text;
using K8sSharp.ApiServer.Storage;

namespace K8sSharp.ApiServer.Tests.Storage;

/// <summary>Assertions and shorthands shared by the storage tests.</summary>
internal static class StorageTestHelpers
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(15);

    public static byte[] V(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] value) => Encoding.UTF8.GetString(value);

    public static string[] Keys(StorageList list) => [.. list.Items.Select(item => item.Key)];

    public static async Task<StorageException> ExpectErrorAsync(Func<Task> action, StorageErrorKind kind)
    {
        var thrown = await action.Should().ThrowAsync<StorageException>();
        thrown.Which.Kind.Should().Be(kind, thrown.Which.Message);
        return thrown.Which;
    }

    /// <summary>Reads exactly <paramref name="count"/> events, failing the test if they do not come in time.</summary>
    public static async Task<List<StorageEvent>> TakeAsync(IAsyncEnumerator<StorageEvent> events, int count)
    {
        var result = new List<StorageEvent>();
        while (result.Count < count)
        {
            var moved = await events.MoveNextAsync().AsTask().WaitAsync(TestTimeout);
            moved.Should().BeTrue("the watch must not end while events are expected");
            result.Add(events.Current);
        }

        return result;
    }
}
