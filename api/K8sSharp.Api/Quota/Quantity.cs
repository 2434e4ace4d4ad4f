using System.Globalization;
using K8sSharp.Api.Defaults;

namespace K8sSharp.Api.Quota;

/// <summary>How a quantity prints, as upstream's <c>resource.Format</c>: binary suffixes (Ki, Mi) or decimal ones (m, k, M).</summary>
public enum QuantityFormat { DecimalSI, BinarySI }

/// <summary>
/// A resource quantity that can be added, compared and printed back in upstream's canonical form
/// (<c>resource.Quantity.String()</c>): <c>1500m</c>, <c>2</c>, <c>1k</c>, <c>1536Mi</c>. A sum keeps the format of its
/// left side unless that side is zero (as upstream's <c>Quantity.Add</c>).
/// </summary>
public readonly record struct Quantity(decimal Value, QuantityFormat Format)
{
    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
        [("E", 18), ("P", 15), ("T", 12), ("G", 9), ("M", 6), ("k", 3), ("", 0), ("m", -3), ("u", -6), ("n", -9)];

    private static readonly string[] BinarySuffixes = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];

    public static Quantity Zero => default;

    public static Quantity Of(decimal value) => new(value, QuantityFormat.DecimalSI);

    /// <summary>The quantity a string denotes; null when it is not a valid quantity.</summary>
    public static Quantity? Parse(string? text) =>
        Quantities.Parse(text) is { } value
            ? new Quantity(value, text!.EndsWith('i') ? QuantityFormat.BinarySI : QuantityFormat.DecimalSI)
            : null;

    public Quantity Add(Quantity other) => new(Value + other.Value, Value == 0 ? other.Format : Format);

    public Quantity Subtract(Quantity other) => new(Value - other.Value, Value == 0 ? other.Format : Format);

    public override string ToString()
    {
        if (Value == 0)
        {
            return "0";
        }
        if (Format == QuantityFormat.BinarySI && decimal.Truncate(Value) == Value && Math.Abs(Value) >= 1024)
        {
            return Binary(Value);
        }
        foreach (var (suffix, exponent) in DecimalSuffixes)
        {
            var scaled = Value / Pow10(exponent);
            if (decimal.Truncate(scaled) == scaled)
            {
                return scaled.ToString("0", CultureInfo.InvariantCulture) + suffix;
            }
        }
        // Finer than nano: upstream rounds up to the next nano unit.
        return decimal.Ceiling(Value * 1_000_000_000m).ToString("0", CultureInfo.InvariantCulture) + "n";
    }

    private static string Binary(decimal value)
    {
        for (var i = 0; i < BinarySuffixes.Length; i++)
        {
            var factor = Pow1024(BinarySuffixes.Length - i);
            if (value % factor == 0)
            {
                return (value / factor).ToString("0", CultureInfo.InvariantCulture) + BinarySuffixes[i];
            }
        }
        return value.ToString("0", CultureInfo.InvariantCulture);
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10;
        }
        return exponent < 0 ? 1 / result : result;
    }

    private static decimal Pow1024(int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= 1024;
        }
        return result;
    }
}
