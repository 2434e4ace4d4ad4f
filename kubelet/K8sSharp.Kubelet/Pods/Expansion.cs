using System.Text;

namespace K8sSharp.Kubelet.Pods;

/// <summary>
/// Kubernetes variable references (third_party/forked/golang/expansion): <c>$(NAME)</c> becomes the variable's value
/// when it is defined and stays as written otherwise; <c>$$</c> escapes a dollar; any other <c>$</c> is literal.
/// Used for env values, command and args.
/// </summary>
internal static class Expansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close && close > 0)
            {
                var name = input[(i + 2)..close];
                output.Append(lookup(name) ?? $"$({name})");
                i = close;
            }
            else
            {
                output.Append('$');
            }
        }
        return output.ToString();
    }
}
