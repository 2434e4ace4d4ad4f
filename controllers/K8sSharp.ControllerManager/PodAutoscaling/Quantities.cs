using k8s.Models;
using K8sSharp.Api.Quota;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>resource.Quantity arithmetic the HPA needs: milli-values (rounded up, as Go's MilliValue) and back.</summary>
internal static class Quantities
{
    public static long MilliValue(ResourceQuantity quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        return (long)Math.Ceiling(quantity.ToDecimal() * 1000m);
    }

    /// <summary>resource.NewMilliQuantity(value, DecimalSI) in canonical form (<c>250m</c>, <c>1</c>, <c>1500m</c>, <c>2M</c>).</summary>
    public static ResourceQuantity FromMilli(long milli) => new(new Quantity(milli / 1000m, QuantityFormat.DecimalSI).ToString());
}
