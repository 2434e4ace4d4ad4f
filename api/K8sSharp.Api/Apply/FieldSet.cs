using System.Text.Json.Nodes;

namespace K8sSharp.Api.Apply;

/// <summary>
/// A set of field paths (structured-merge-diff's <c>fieldpath.Set</c>): at each level the elements that are
/// members (owned themselves) and the children that hold deeper paths. Serialises to and from the FieldsV1 format
/// of <c>metadata.managedFields</c>, where <c>"."</c> marks an element that is a member and also has children.
/// Sets are mutable only through <see cref="Insert"/>; the algebra returns new sets.
/// </summary>
public sealed partial class FieldSet
{
    // Hashed, not sorted: writes build and combine these sets on every request, and element comparisons (JSON key
    // values of k: elements) were a visible share of a pod create's CPU. Order is applied where it shows: FieldsV1
    // and Paths().
    private readonly HashSet<PathElement> members = [];
    private readonly Dictionary<PathElement, FieldSet> children = [];

    /// <summary>No path at all. O(1): no set ever holds an empty child (Insert only adds children it puts a path in,
    /// and the algebra adds children through AddChild, which drops empty ones).</summary>
    public bool IsEmpty => members.Count == 0 && children.Count == 0;

    public static FieldSet Of(params IReadOnlyList<PathElement>[] paths)
    {
        var set = new FieldSet();
        foreach (var path in paths)
        {
            set.Insert(path);
        }
        return set;
    }

    /// <summary>Adds a path; the empty path is ignored (the root is never a member).</summary>
    public void Insert(IReadOnlyList<PathElement> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = this;
        for (var i = 0; i < path.Count; i++)
        {
            if (i == path.Count - 1)
            {
                node.members.Add(path[i]);
            }
            else
            {
                node = node.ChildOrAdd(path[i]);
            }
        }
    }

    public bool Has(IReadOnlyList<PathElement> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!node.children.TryGetValue(path[i], out node!))
            {
                return false;
            }
        }
        return path.Count > 0 && node.members.Contains(path[^1]);
    }

    public bool HasMember(PathElement element) => members.Contains(element);

    /// <summary>The set of paths below <paramref name="element"/>, or null when there are none.</summary>
    public FieldSet? Child(PathElement element) => children.GetValueOrDefault(element);

    // Writes union and subtract whole-object sets with empty ones (a create's changes with no previous owner): those
    // are plain copies, which skip Combine's per-element lookups (a profile of pod creates showed the set algebra of
    // managedFields among the API server's largest costs).
    public FieldSet Union(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsEmpty ? Copy() : IsEmpty ? other.Copy() : Combine(this, other, (a, b) => a || b, keepLeft: true, keepRight: true);
    }

    public FieldSet Intersection(FieldSet other) => Combine(this, other, (a, b) => a && b, keepLeft: false, keepRight: false);

    public FieldSet Difference(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsEmpty ? Copy() : Combine(this, other, (a, b) => a && !b, keepLeft: true, keepRight: false);
    }

    /// <summary>
    /// This set minus every path of <paramref name="other"/> and everything below those paths (upstream's
    /// <c>RecursiveDifference</c>, used to drop reset fields such as <c>.status</c> with their whole subtree).
    /// </summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new FieldSet();
        foreach (var member in members.Where(m => !other.members.Contains(m)))
        {
            result.members.Add(member);
        }
        foreach (var (element, child) in children)
        {
            if (other.members.Contains(element))
            {
                continue;
            }
            var rest = other.children.TryGetValue(element, out var below) ? child.RecursiveDifference(below) : child.Copy();
            result.AddChild(element, rest);
        }
        return result;
    }

    /// <summary>
    /// The set plus every field-named ancestor of its paths as a member (upstream's
    /// <c>EnsureNamedFieldsAreMembers</c>, approximated without a schema: list items are not added).
    /// </summary>
    public FieldSet WithFieldAncestors()
    {
        var result = new FieldSet();
        foreach (var member in members)
        {
            result.members.Add(member);
        }
        foreach (var (element, child) in children)
        {
            if (element.Kind == PathElementKind.Field && !child.IsEmpty)
            {
                result.members.Add(element);
            }
            result.AddChild(element, child.WithFieldAncestors());
        }
        return result;
    }

    /// <summary>Every member path, members of a level before its children, each level in element order.</summary>
    public IEnumerable<IReadOnlyList<PathElement>> Paths() => PathsUnder([]);

    private IEnumerable<IReadOnlyList<PathElement>> PathsUnder(List<PathElement> prefix)
    {
        foreach (var member in members.Order())
        {
            yield return [.. prefix, member];
        }
        foreach (var (element, child) in children.OrderBy(c => c.Key))
        {
            foreach (var path in child.PathsUnder([.. prefix, element]))
            {
                yield return path;
            }
        }
    }

    /// <summary>A deep copy.</summary>
    public FieldSet Copy()
    {
        var copy = new FieldSet();
        copy.members.UnionWith(members);
        foreach (var (element, child) in children)
        {
            copy.AddChild(element, child.Copy());
        }
        return copy;
    }

    private FieldSet ChildOrAdd(PathElement element)
    {
        if (!children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            children[element] = child;
        }
        return child;
    }

    private void AddChild(PathElement element, FieldSet child)
    {
        if (!child.IsEmpty)
        {
            children[element] = child;
        }
    }

    private static FieldSet Combine(FieldSet left, FieldSet right, Func<bool, bool, bool> keep, bool keepLeft, bool keepRight)
    {
        var result = new FieldSet();
        foreach (var member in left.members.Union(right.members))
        {
            if (keep(left.members.Contains(member), right.members.Contains(member)))
            {
                result.members.Add(member);
            }
        }
        foreach (var element in left.children.Keys.Union(right.children.Keys))
        {
            var (l, r) = (left.children.GetValueOrDefault(element), right.children.GetValueOrDefault(element));
            var child = (l, r) switch
            {
                ({ } a, { } b) => Combine(a, b, keep, keepLeft, keepRight),
                ({ } a, null) => keepLeft ? a.Copy() : null,
                (null, { } b) => keepRight ? b.Copy() : null,
                _ => null,
            };
            if (child is not null)
            {
                result.AddChild(element, child);
            }
        }
        return result;
    }

    /// <summary>The FieldsV1 JSON: elements in upstream order, <c>"."</c> first where an element is also a member.</summary>
    public JsonObject ToFieldsV1()
    {
        var json = new JsonObject();
        WriteFieldsV1(json);
        return json;
    }

    /// <summary>Adds this level's entries to <paramref name="json"/>, each child's filled in place (no copies of subtrees).</summary>
    private void WriteFieldsV1(JsonObject json)
    {
        foreach (var element in members.Union(children.Keys).Order())
        {
            var entry = new JsonObject();
            if (children.TryGetValue(element, out var child))
            {
                if (members.Contains(element))
                {
                    entry["."] = new JsonObject();
                }
                child.WriteFieldsV1(entry);
            }
            json[element.Text] = entry;
        }
    }

    /// <exception cref="FormatException">The JSON is not FieldsV1.</exception>
    public static FieldSet FromFieldsV1(JsonObject? json)
    {
        var set = new FieldSet();
        foreach (var (key, value) in json ?? [])
        {
            if (key == ".")
            {
                continue;
            }
            var element = PathElement.Parse(key);
            var inner = value as JsonObject ?? throw new FormatException($"FieldsV1 entry {key} must be an object");
            if (inner.Count == 0 || inner.ContainsKey("."))
            {
                set.members.Add(element);
            }
            set.AddChild(element, FromFieldsV1(inner));
        }
        return set;
    }

    public override string ToString() => ToFieldsV1().ToJsonString(RelaxedJson);

    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
