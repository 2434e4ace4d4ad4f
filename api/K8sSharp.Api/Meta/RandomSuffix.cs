namespace K8sSharp.Api.Meta;

/// <summary>Upstream's random name suffixes (<c>utilrand.String</c>): consonants and digits without look-alikes.</summary>
public static class RandomSuffix
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Generate(int length = 5) => string.Create(length, 0, (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
    });
}
