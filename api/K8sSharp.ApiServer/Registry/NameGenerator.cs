using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Registry;

/// <summary>metadata.generateName: the prefix (cut to leave room) plus five random characters.</summary>
internal static class NameGenerator
{
    private const int MaxNameLength = 63;
    private const int RandomLength = 5;

    public static string Generate(string prefix)
    {
        if (prefix.Length > MaxNameLength - RandomLength)
        {
            prefix = prefix[..(MaxNameLength - RandomLength)];
        }
        return prefix + RandomSuffix.Generate(RandomLength);
    }
}
