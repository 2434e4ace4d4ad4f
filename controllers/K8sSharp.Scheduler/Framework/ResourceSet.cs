using k8s.Models;

namespace K8sSharp.Scheduler.Framework;

/// <summary>
/// An amount of node resources in the scheduler's integer units (upstream's framework.Resource): cpu in millicores,
/// memory and ephemeral storage in bytes, the pod count, and every other resource (extended resources, hugepages)
/// by name in its base unit. Mutable so that per-node sums are maintained incrementally.
/// </summary>
internal sealed class ResourceSet
{
    public const string CpuName = "cpu";
    public const string MemoryName = "memory";
    public const string EphemeralStorageName = "ephemeral-storage";
    public const string PodsName = "pods";

    public long MilliCpu { get; set; }

    public long Memory { get; set; }

    public long EphemeralStorage { get; set; }

    public long AllowedPods { get; set; }

    /// <summary>Extended and other named resources (e.g. example.com/gpu, hugepages-2Mi).</summary>
    public Dictionary<string, long> Scalars { get; } = new(StringComparer.Ordinal);

    public static ResourceSet From(IDictionary<string, ResourceQuantity>? quantities)
    {
        var set = new ResourceSet();
        set.Add(quantities);
        return set;
    }

    public void Add(IDictionary<string, ResourceQuantity>? quantities)
    {
        foreach (var (name, quantity) in quantities ?? new Dictionary<string, ResourceQuantity>())
        {
            Set(name, Get(name) + ToUnits(name, quantity));
        }
    }

    public void Add(ResourceSet other) => Combine(other, 1);

    public void Subtract(ResourceSet other) => Combine(other, -1);

    /// <summary>Raises every resource to at least <paramref name="other"/>'s amount (init containers run one at a time).</summary>
    public void SetMax(ResourceSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var name in other.Names())
        {
            Set(name, Math.Max(Get(name), other.Get(name)));
        }
    }

    public ResourceSet Clone()
    {
        var copy = new ResourceSet();
        copy.Add(this);
        return copy;
    }

    public bool IsZero => MilliCpu == 0 && Memory == 0 && EphemeralStorage == 0 && Scalars.Values.All(v => v == 0);

    public long Get(string name) => name switch
    {
        CpuName => MilliCpu,
        MemoryName => Memory,
        EphemeralStorageName => EphemeralStorage,
        PodsName => AllowedPods,
        _ => Scalars.GetValueOrDefault(name),
    };

    public void Set(string name, long value)
    {
        switch (name)
        {
            case CpuName: MilliCpu = value; break;
            case MemoryName: Memory = value; break;
            case EphemeralStorageName: EphemeralStorage = value; break;
            case PodsName: AllowedPods = value; break;
            default: Scalars[name] = value; break;
        }
    }

    /// <summary>The names with a value (cpu, memory and ephemeral-storage always, pods when set, then scalars).</summary>
    public IEnumerable<string> Names()
    {
        yield return CpuName;
        yield return MemoryName;
        yield return EphemeralStorageName;
        if (AllowedPods != 0)
        {
            yield return PodsName;
        }
        foreach (var name in Scalars.Keys)
        {
            yield return name;
        }
    }

    private void Combine(ResourceSet other, int sign)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var name in other.Names())
        {
            Set(name, Get(name) + (sign * other.Get(name)));
        }
    }

    /// <summary>cpu in millicores (rounded up, as Quantity.MilliValue), everything else in whole base units (rounded up, as Value).</summary>
    /// <remarks>
    /// Reads the parsed value directly: the quantity's text (ToString) is its canonical form, which KubernetesClient
    /// recomputes with big-integer arithmetic on every call and cost more than the whole rest of a pod's requests.
    /// </remarks>
    public static long ToUnits(string name, ResourceQuantity? quantity)
    {
        if (quantity is null)
        {
            return 0;
        }
        var value = quantity.ToDecimal();
        return name == CpuName ? (long)Math.Ceiling(value * 1000) : (long)Math.Ceiling(value);
    }
}
