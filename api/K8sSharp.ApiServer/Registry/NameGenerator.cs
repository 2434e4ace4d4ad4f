namespace K8sSharp.ApiServer.Registry;

/// <summary>metadata.generateName: the prefix (cut to leave room) plus five characters of upstream's alphabet.</summary>
internal static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int MaxNameLength = 63;
    private const int RandomLength = 5;

    public static string Generate(string prefix)
    {
        if (prefix.Length > MaxNameLength - RandomLength)
        {
            prefix = prefix[..(MaxNameLength - RandomLength)];
        }
        var suffix = new char[RandomLength];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
        return prefix + new string(suffix);
    }
}
