namespace K8sSharp.Api.Printing;

/// <summary>Printers for the remaining built-in kinds upstream prints.</summary>
internal static class ExtraPrinters
{
    public static IEnumerable<KindPrinter> All()
    {
        yield break;
    }
}
