using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.PodAutoscaling;

/// <summary>resource.Quantity arithmetic the HPA needs: milli-values (rounded up, as Go's MilliValue) and back.</summary>
internal static class Quantities
{
    private static readonly string[] DecimalSuffixes = ["", "k", "M", "G", "T", "P", "E"];

    public static long MilliValue(ResourceQuantity quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        return (long)Math.Ceiling(quantity.ToDecimal() * 1000m);
    }

    /// <summary>
    /// resource.NewMilliQuantity(value, DecimalSI) in canonical form: the largest decimal suffix that keeps the
    /// value whole (<c>250m</c>, <c>1</c>, <c>1500m</c>, <c>2M</c>).
    /// </summary>
    public static ResourceQuantity FromMilli(long milli)
    {
        if (milli == 0 || milli % 1000 != 0)
        {
            return new ResourceQuantity(milli.ToString(CultureInfo.InvariantCulture) + (milli == 0 ? "" : "m"));
        }
        var value = milli / 1000;
        var suffix = 0;
        while (value % 1000 == 0 && suffix < DecimalSuffixes.Length - 1)
        {
            value /= 1000;
            suffix++;
        }
        return new ResourceQuantity(value.ToString(CultureInfo.InvariantCulture) + DecimalSuffixes[suffix]);
    }
}
