using System.Globalization;
using k8s.Models;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>apimachinery's GetScaledValueFromIntOrPercent: an int as is, or "N%" of a total, rounded up or down.</summary>
internal static class IntOrPercent
{
    /// <summary>The value scaled to <paramref name="total"/>; <paramref name="fallback"/> when unset.</summary>
    public static int Scale(IntOrString? value, int total, bool roundUp, int fallback = 0)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (!text.EndsWith('%'))
        {
            return int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var scaled = int.Parse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture) * (long)total / 100.0;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }
}
