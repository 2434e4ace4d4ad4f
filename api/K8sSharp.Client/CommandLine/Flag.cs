using System.Globalization;

namespace K8sSharp.Client.CommandLine;

/// <summary>
/// Upstream-style command-line flags, shared by every component: <c>--name value</c> or <c>--name=value</c>; a switch
/// (<c>--cleanup</c>, <c>--cleanup=false</c>) takes only an inline value. <see cref="Parse{T}"/> folds the arguments into
/// an options record, one flag at a time; the caller's switch reads the flag's value only when the flag has one.
/// </summary>
public sealed class Flag
{
    private readonly IReadOnlyList<string> args;
    private int index;
    private string? inline;

    private Flag(IReadOnlyList<string> args)
    {
        this.args = args;
        Name = string.Empty;
    }

    public string Name { get; private set; }

    public static T Parse<T>(IReadOnlyList<string> args, T options, Func<T, Flag, T> apply)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(apply);
        var flag = new Flag(args);
        for (flag.index = 0; flag.index < args.Count; flag.index++)
        {
            var arg = args[flag.index];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            (flag.Name, flag.inline) = eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
            options = apply(options, flag);
        }
        return options;
    }

    /// <summary>The inline value, or else the next argument (consumed).</summary>
    public string Value() =>
        inline ?? (++index < args.Count ? args[index] : throw new ArgumentException($"{Name} needs a value"));

    /// <summary>A non-negative whole number such as a port.</summary>
    public int Number() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A Go duration: 40s, 1m30s, 500ms.</summary>
    public TimeSpan Duration() => GoDuration.Parse(Value());

    /// <summary>A decimal number such as <c>0.1</c>.</summary>
    public double Fraction() => double.Parse(Value(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>A switch: present means true unless given as <c>--name=false</c>.</summary>
    public bool Switch() => inline is null || bool.Parse(inline);

    /// <summary>The error for a flag the component does not know, listing the ones it does.</summary>
    public ArgumentException Unknown(string known) => new($"unknown option {Name} (known: {known})");
}
