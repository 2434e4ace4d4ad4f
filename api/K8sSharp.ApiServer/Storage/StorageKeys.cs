using System.Collections.Immutable;

namespace K8sSharp.ApiServer.Storage;

/// <summary>
/// Key ordering and prefix helpers shared by the in-memory backend and the watch cache, so that both order keys
/// exactly as etcd does (ascending UTF-8 byte order).
/// </summary>
internal static class StorageKeys
{
    /// <summary>Compares keys by UTF-8 byte order (= Unicode code point order), which is etcd's order.</summary>
    public static IComparer<string> Comparer { get; } = new Utf8OrderComparer();

    /// <summary>Orders <see cref="StoredValue"/>s by key only; used for the immutable sorted snapshots.</summary>
    public static IComparer<StoredValue> ValueComparer { get; } = new StoredValueKeyComparer();

    public static ImmutableSortedSet<StoredValue> EmptySet { get; } = ImmutableSortedSet.Create(ValueComparer);

    public static bool IsUnder(string key, string prefix) => key.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>A value that compares equal to any stored value with this key (for set lookups).</summary>
    public static StoredValue Probe(string key) => new(key, [], 0, 0);

    public static bool TryGet(ImmutableSortedSet<StoredValue> set, string key, out StoredValue value) =>
        set.TryGetValue(Probe(key), out value!);

    /// <summary>Returns a copy of <paramref name="set"/> where <paramref name="value"/> replaces any entry with its key.</summary>
    public static ImmutableSortedSet<StoredValue> Put(ImmutableSortedSet<StoredValue> set, StoredValue value) =>
        set.Remove(value).Add(value);

    /// <summary>
    /// Reads one page of keys under <paramref name="prefix"/> from a snapshot. O(log n) to find the page bounds plus
    /// O(log n) per returned item (the immutable set's indexer), independent of where the page starts.
    /// </summary>
    public static StorageList Page(ImmutableSortedSet<StoredValue> set, string prefix, ListOptions options, long revision)
    {
        var from = options.StartKey is { } startKey && Comparer.Compare(startKey, prefix) > 0 ? startKey : prefix;
        var start = LowerBound(set, from);
        var end = PrefixEndIndex(set, prefix, start);
        var take = options.Limit > 0 ? Math.Min(options.Limit, end - start) : end - start;
        var items = new StoredValue[take];
        for (var i = 0; i < take; i++)
        {
            items[i] = set[start + i];
        }

        var remaining = end - start - take;
        return new StorageList(items, revision, remaining > 0, remaining);
    }

    /// <summary>Index of the first entry whose key is &gt;= <paramref name="key"/>.</summary>
    private static int LowerBound(ImmutableSortedSet<StoredValue> set, string key)
    {
        var index = set.IndexOf(Probe(key));
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// Index of the first entry at or after <paramref name="start"/> whose key does not start with the prefix. Keys
    /// sharing a prefix are contiguous in byte order, and every key from <paramref name="start"/> on is &gt;= the
    /// prefix, so "starts with prefix" is true for a leading run and false after it: a binary search finds the end.
    /// </summary>
    private static int PrefixEndIndex(ImmutableSortedSet<StoredValue> set, string prefix, int start)
    {
        int lo = start, hi = set.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (IsUnder(set[mid].Key, prefix))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class Utf8OrderComparer : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var length = Math.Min(x.Length, y.Length);
            for (var i = 0; i < length; i++)
            {
                if (x[i] != y[i])
                {
                    return Weight(x[i]).CompareTo(Weight(y[i]));
                }
            }

            return x.Length.CompareTo(y.Length);
        }

        // UTF-16 ordinal order differs from code point order only because surrogates (U+D800-DFFF, which encode
        // code points above U+FFFF) sort below U+E000-U+FFFF; moving them above restores code point order.
        private static int Weight(char c) => c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;
    }

    private sealed class StoredValueKeyComparer : IComparer<StoredValue>
    {
        public int Compare(StoredValue? x, StoredValue? y) => Comparer.Compare(x?.Key, y?.Key);
    }
}
